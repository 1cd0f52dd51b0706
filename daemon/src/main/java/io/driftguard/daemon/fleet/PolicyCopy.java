package io.driftguard.daemon.fleet;

import io.driftguard.core.store.Database;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The newest published policy revision this host read, kept in the local cache for a start without the database. */
final class PolicyCopy {
    private final Database local;

    PolicyCopy(Database local) {
        this.local = local;
    }

    record Cached(long revision, PolicyFiles files) {
    }

    Optional<Cached> get() throws SQLException, IOException {
        try (Connection c = local.connection(); PreparedStatement q = c.prepareStatement("SELECT revision, files FROM fleet_policy WHERE id = 1");
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? Optional.of(new Cached(rs.getLong(1), PolicyFiles.fromJson(rs.getString(2)))) : Optional.empty();
        }
    }

    void put(long revision, PolicyFiles files) throws SQLException {
        try (Connection c = local.connection(); PreparedStatement u = c.prepareStatement(local.dialect().upsert("fleet_policy",
                java.util.List.of("id", "revision", "files"), java.util.List.of("id"), java.util.List.of("revision", "files")))) {
            u.setInt(1, 1);
            u.setLong(2, revision);
            u.setString(3, files.toJson());
            u.executeUpdate();
        }
    }
}
