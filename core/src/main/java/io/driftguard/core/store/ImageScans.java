package io.driftguard.core.store;

import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads the latest image scan of a digest that {@code driftguard-scan} keeps in the shared store
 * (table scan_results, made by the scanner's "image_scan" migrations): the highest severity among
 * the vulnerabilities it found, ignores applied. The scanner writes it, admission reads it. A store
 * the scanner never wrote to has no scans.
 */
public final class ImageScans {
    /** The latest scan of an image: its worst vulnerability (empty for none) and when it ran. */
    public record Latest(Optional<Severity> worst, Instant scanned) {
    }

    private final Database database;
    private final String table;

    public ImageScans(Database database) {
        this(database, "scan_results");
    }

    /** Scans in {@code table}, which has scan_results' columns image_digest, max_severity and scanned_ms (a host's local copy). */
    public ImageScans(Database database, String table) {
        this.database = database;
        this.table = table;
    }

    /** The latest scan of an image digest (manifest digest or image id); empty when it was never scanned. */
    public Optional<Latest> latest(Digest image) throws SQLException {
        if (!scannerTablesExist()) {
            return Optional.empty();
        }
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT max_severity, scanned_ms FROM " + table + " WHERE image_digest = ?")) {
            q.setString(1, image.toString());
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String worst = rs.getString(1);
                return Optional.of(new Latest(worst == null ? Optional.empty() : Optional.of(Severity.fromWire(worst)),
                        Instant.ofEpochMilli(rs.getLong(2))));
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
