package io.driftguard.daemon.fleet;

import io.driftguard.core.store.Approvals;
import io.driftguard.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The scanner's approvals (registry_tags of the shared store, written by {@code driftguard-scan
 * approve} on any host) copied into the local cache, from which admission reads them: an approval
 * made anywhere admits here once copied, and admission never waits on the shared store.
 */
public final class ApprovalCopy {
    static final String TABLE = "fleet_approvals";

    private final Database local;

    public ApprovalCopy(Database local) {
        this.local = local;
    }

    /** The approvals admission reads: the local copy. */
    public Approvals approvals() {
        return new Approvals(local, TABLE);
    }

    private record Approval(String registry, String repository, String tag, String digest, Long approvedMs) {
    }

    /** Replaces the local copy with the shared store's approvals; returns how many there are. */
    public int refresh(Database central) throws SQLException {
        List<Approval> approvals = new ArrayList<>();
        try (Connection c = central.connection()) {
            try (ResultSet tables = c.getMetaData().getTables(null, null, "registry_tags", null)) {
                if (!tables.next()) {
                    return replace(approvals);
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT registry, repository, tag, approved_digest, approved_ms FROM registry_tags WHERE approved_digest IS NOT NULL")) {
                while (rs.next()) {
                    long ms = rs.getLong(5);
                    approvals.add(new Approval(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.wasNull() ? null : ms));
                }
            }
        }
        return replace(approvals);
    }

    private int replace(List<Approval> approvals) throws SQLException {
        try (Connection c = local.connection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + TABLE);
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO " + TABLE
                    + "(registry, repository, tag, approved_digest, approved_ms) VALUES(?,?,?,?,?)")) {
                for (Approval a : approvals) {
                    i.setString(1, a.registry());
                    i.setString(2, a.repository());
                    i.setString(3, a.tag());
                    i.setString(4, a.digest());
                    i.setObject(5, a.approvedMs());
                    i.addBatch();
                }
                i.executeBatch();
            }
            c.commit();
        }
        return approvals.size();
    }
}
