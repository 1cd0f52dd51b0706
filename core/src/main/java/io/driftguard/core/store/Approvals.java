package io.driftguard.core.store;

import io.driftguard.core.model.Digest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Reads the approvals that {@code driftguard-scan approve} records in the shared store (table
 * registry_tags, made by the scanner's "registry" migrations): the approved digest per registry, repository
 * and tag. A store the scanner never wrote to has no approvals.
 */
public final class Approvals {
    private final Database database;
    private final String table;

    public Approvals(Database database) {
        this(database, "registry_tags");
    }

    /** Approvals in {@code table}, which has registry_tags' columns registry, repository, tag and approved_digest. */
    public Approvals(Database database, String table) {
        this.database = database;
        this.table = table;
    }

    /** The approved digest of a tag. */
    public Optional<Digest> approved(String registry, String repository, String tag) throws SQLException {
        if (!scannerTablesExist()) {
            return Optional.empty();
        }
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT approved_digest FROM " + table + " WHERE registry = ? AND repository = ? AND tag = ?")) {
            q.setString(1, registry);
            q.setString(2, repository);
            q.setString(3, tag);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? Optional.of(Digest.parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** Whether some tag of the repository is approved at {@code digest}. */
    public boolean approvedForSomeTag(String registry, String repository, Digest digest) throws SQLException {
        if (!scannerTablesExist()) {
            return false;
        }
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT 1 FROM " + table + " WHERE registry = ? AND repository = ? AND approved_digest = ?")) {
            q.setString(1, registry);
            q.setString(2, repository);
            q.setString(3, digest.toString());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    private boolean scannerTablesExist() throws SQLException {
        try (Connection c = database.connection();
             ResultSet rs = c.getMetaData().getTables(null, null, table, null)) {
            return rs.next();
        }
    }
}
