package io.driftguard.scan.store;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What image scans keep: each layer's content by layer digest (so a shared base layer is read
 * once), the package list of each image digest (its SBOM) and the findings of its latest scan.
 * Contents are JSON made by the scanning code; the store does not look inside.
 */
public final class ImageScanStore {
    static final String COMPONENT = "image-scan";
    private static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE scan_layers (digest TEXT PRIMARY KEY, content TEXT NOT NULL, scanned_ms INTEGER NOT NULL)",
            "CREATE TABLE scan_sboms (image_digest TEXT PRIMARY KEY, sbom TEXT NOT NULL, scanned_ms INTEGER NOT NULL)",
            "CREATE TABLE scan_results (image_digest TEXT PRIMARY KEY, max_severity TEXT, findings TEXT NOT NULL, "
                    + "scanned_ms INTEGER NOT NULL)");

    /** A stored JSON document and when it was written. */
    public record Stored(String json, Instant time) {
    }

    private final Connection db;

    public ImageScanStore(Database database) throws SQLException {
        database.migrate(COMPONENT, MIGRATIONS);
        this.db = database.connection();
    }

    public synchronized Optional<Stored> layer(Digest digest) throws SQLException {
        return get("SELECT content, scanned_ms FROM scan_layers WHERE digest = ?", digest);
    }

    public synchronized void saveLayer(Digest digest, String json, Instant now) throws SQLException {
        put("INSERT OR REPLACE INTO scan_layers(digest, content, scanned_ms) VALUES(?,?,?)", digest, json, now);
    }

    public synchronized Optional<Stored> sbom(Digest image) throws SQLException {
        return get("SELECT sbom, scanned_ms FROM scan_sboms WHERE image_digest = ?", image);
    }

    public synchronized void saveSbom(Digest image, String json, Instant now) throws SQLException {
        put("INSERT OR REPLACE INTO scan_sboms(image_digest, sbom, scanned_ms) VALUES(?,?,?)", image, json, now);
    }

    public synchronized Optional<Stored> result(Digest image) throws SQLException {
        return get("SELECT findings, scanned_ms FROM scan_results WHERE image_digest = ?", image);
    }

    /** The highest severity among the image's vulnerabilities, or null for none; read by admission. */
    public synchronized Optional<String> maxSeverity(Digest image) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT max_severity FROM scan_results WHERE image_digest = ?")) {
            q.setString(1, image.toString());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1) == null ? "none" : rs.getString(1)) : Optional.empty();
            }
        }
    }

    public synchronized void saveResult(Digest image, String maxSeverity, String json, Instant now) throws SQLException {
        try (PreparedStatement u = db.prepareStatement(
                "INSERT OR REPLACE INTO scan_results(image_digest, max_severity, findings, scanned_ms) VALUES(?,?,?,?)")) {
            u.setString(1, image.toString());
            u.setString(2, maxSeverity);
            u.setString(3, json);
            u.setLong(4, now.toEpochMilli());
            u.executeUpdate();
        }
    }

    private Optional<Stored> get(String sql, Digest key) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, key.toString());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)))) : Optional.empty();
            }
        }
    }

    private void put(String sql, Digest key, String json, Instant now) throws SQLException {
        try (PreparedStatement u = db.prepareStatement(sql)) {
            u.setString(1, key.toString());
            u.setString(2, json);
            u.setLong(3, now.toEpochMilli());
            u.executeUpdate();
        }
    }
}
