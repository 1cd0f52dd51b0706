package io.driftguard.daemon.fleet;

import io.driftguard.core.store.Database;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Published policy sets in the shared store (policy_revisions), numbered by the database. */
public final class PolicyRevisions {
    private final Database central;

    public PolicyRevisions(Database central) throws SQLException {
        this.central = central;
        central.migrate("fleet");
    }

    /** One published set. */
    public record Revision(long number, Instant published, String publishedBy, PolicyFiles files) {
    }

    /** Stores {@code files} as the newest revision; returns its number. Hosts that follow it hear of it at once. */
    public long publish(PolicyFiles files, String publishedBy, Instant now) throws SQLException {
        try (Connection c = central.connection(); PreparedStatement i = c.prepareStatement(
                "INSERT INTO policy_revisions(published_ms, published_by, files) VALUES(?,?,?) RETURNING revision")) {
            i.setLong(1, now.toEpochMilli());
            i.setString(2, publishedBy);
            i.setString(3, files.toJson());
            try (ResultSet rs = i.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The newest revision, if any was published. */
    public Optional<Revision> latest() throws SQLException, IOException {
        try (Connection c = central.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT revision, published_ms, published_by, files FROM policy_revisions ORDER BY revision DESC LIMIT 1");
             ResultSet rs = q.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Revision(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                    PolicyFiles.fromJson(rs.getString(4))));
        }
    }
}
