package io.driftguard.core.store;

import io.driftguard.core.model.Digest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * Reads the approvals that {@code driftguard-scan approve} records in the shared store (table
 * registry_tags, made by the scanner's "registry" migrations): the approved digest per registry,
 * repository and tag. An approval past its expiry (approved_until_ms) counts as none. A store the
 * scanner never wrote to has no approvals; one written by a scanner older than expiries has none
 * that expire.
 */
public final class Approvals {
    private static final String EXPIRY = "approved_until_ms";

    private final Database database;
    private final String table;
    private final Clock clock;

    public Approvals(Database database) {
        this(database, "registry_tags", Clock.systemUTC());
    }

    /** Approvals in {@code table}, which has registry_tags' columns registry, repository, tag, approved_digest (and approved_until_ms). */
    public Approvals(Database database, String table, Clock clock) {
        this.database = database;
        this.table = table;
        this.clock = clock;
    }

    /** The approved digest of a tag, unless its approval expired. */
    public Optional<Digest> approved(String registry, String repository, String tag) throws SQLException {
        Optional<String> unexpired = unexpired();
        if (unexpired.isEmpty()) {
            return Optional.empty();
        }
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT approved_digest FROM " + table + " WHERE registry = ? AND repository = ? AND tag = ?" + unexpired.get())) {
            q.setString(1, registry);
            q.setString(2, repository);
            q.setString(3, tag);
            bindNow(q, 4, unexpired.get());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? Optional.of(Digest.parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** Whether some tag of the repository is approved at {@code digest}, by an approval that has not expired. */
    public boolean approvedForSomeTag(String registry, String repository, Digest digest) throws SQLException {
        Optional<String> unexpired = unexpired();
        if (unexpired.isEmpty()) {
            return false;
        }
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT 1 FROM " + table + " WHERE registry = ? AND repository = ? AND approved_digest = ?" + unexpired.get())) {
            q.setString(1, registry);
            q.setString(2, repository);
            q.setString(3, digest.toString());
            bindNow(q, 4, unexpired.get());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The condition that leaves out expired approvals ("" where the table has no expiries); empty without the table. */
    private Optional<String> unexpired() throws SQLException {
        if (database.hasColumn(table, EXPIRY)) {
            return Optional.of(" AND (" + EXPIRY + " IS NULL OR " + EXPIRY + " > ?)");
        }
        try (Connection c = database.connection(); ResultSet rs = c.getMetaData().getTables(null, null, table, null)) {
            return rs.next() ? Optional.of("") : Optional.empty();
        }
    }

    private void bindNow(PreparedStatement q, int index, String condition) throws SQLException {
        if (!condition.isEmpty()) {
            q.setLong(index, clock.millis());
        }
    }
}
