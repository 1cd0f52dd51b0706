package io.driftguard.daemon.fleet;

import io.driftguard.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The hosts table of the shared store: one row per daemon, kept fresh by its heartbeat. */
public final class Hosts {
    private static final List<String> COLUMNS = List.of("host_id", "version", "started_ms", "last_seen_ms", "running", "attached",
            "policy_source", "policy_revision", "queued_events");

    private final Database central;

    public Hosts(Database central) throws SQLException {
        this.central = central;
        central.migrate("fleet");
    }

    /** One host as its last heartbeat described it; {@code policyRevision} is null for local policies. */
    public record Host(String hostId, String version, Instant started, Instant lastSeen, int running, int attached,
                       String policySource, Long policyRevision, long queuedEvents) {
    }

    public void beat(Host host) throws SQLException {
        String upsert = central.dialect().upsert("hosts", COLUMNS, List.of("host_id"), COLUMNS.subList(1, COLUMNS.size()));
        try (Connection c = central.connection(); PreparedStatement u = c.prepareStatement(upsert)) {
            u.setString(1, host.hostId());
            u.setString(2, host.version());
            u.setLong(3, host.started().toEpochMilli());
            u.setLong(4, host.lastSeen().toEpochMilli());
            u.setInt(5, host.running());
            u.setInt(6, host.attached());
            u.setString(7, host.policySource());
            u.setObject(8, host.policyRevision());
            u.setLong(9, host.queuedEvents());
            u.executeUpdate();
        }
    }

    /** Every host, by id. */
    public List<Host> all() throws SQLException {
        List<Host> hosts = new ArrayList<>();
        try (Connection c = central.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT " + String.join(", ", COLUMNS) + " FROM hosts ORDER BY host_id"); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                long revision = rs.getLong(8);
                Long policyRevision = rs.wasNull() ? null : revision;
                hosts.add(new Host(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)),
                        rs.getInt(5), rs.getInt(6), rs.getString(7), policyRevision, rs.getLong(9)));
            }
        }
        return hosts;
    }
}
