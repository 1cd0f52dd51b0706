package io.driftguard.scan.store;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.Dialect;
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
    static final String COMPONENT = "image_scan";

    /** A stored JSON document and when it was written. */
    public record Stored(String json, Instant time) {
    }

    private final Database database;

    public ImageScanStore(Database database) throws SQLException {
        database.migrate(COMPONENT);
        if (database.dialect() == Dialect.POSTGRESQL) {
            // The trigger that tells a fleet's hosts to re-read; a component of its own, so that the
            // scanner's own versions stay its own.
            database.migrate(COMPONENT + "_notify");
        }
        this.database = database;
    }

    public Optional<Stored> layer(Digest digest) throws SQLException {
        return get("SELECT content, scanned_ms FROM scan_layers WHERE digest = ?", digest);
    }

    public void saveLayer(Digest digest, String json, Instant now) throws SQLException {
        put(database.dialect().upsert("scan_layers", List.of("digest", "content", "scanned_ms"), List.of("digest"),
                List.of("content", "scanned_ms")), digest, json, now);
    }

    public Optional<Stored> sbom(Digest image) throws SQLException {
        return get("SELECT sbom, scanned_ms FROM scan_sboms WHERE image_digest = ?", image);
    }

    public void saveSbom(Digest image, String json, Instant now) throws SQLException {
        put(database.dialect().upsert("scan_sboms", List.of("image_digest", "sbom", "scanned_ms"), List.of("image_digest"),
                List.of("sbom", "scanned_ms")), image, json, now);
    }

    public Optional<Stored> result(Digest image) throws SQLException {
        return get("SELECT findings, scanned_ms FROM scan_results WHERE image_digest = ?", image);
    }

    /** {@code maxSeverity}: the worst vulnerability's wire name, null for none; core's ImageScans reads it for admission. */
    public void saveResult(Digest image, String maxSeverity, String json, Instant now) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement u = db.prepareStatement(database.dialect().upsert(
                "scan_results", List.of("image_digest", "max_severity", "findings", "scanned_ms"), List.of("image_digest"),
                List.of("max_severity", "findings", "scanned_ms")))) {
            u.setString(1, image.toString());
            u.setString(2, maxSeverity);
            u.setString(3, json);
            u.setLong(4, now.toEpochMilli());
            u.executeUpdate();
        }
    }

    private Optional<Stored> get(String sql, Digest key) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, key.toString());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)))) : Optional.empty();
            }
        }
    }

    private void put(String sql, Digest key, String json, Instant now) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement u = db.prepareStatement(sql)) {
            u.setString(1, key.toString());
            u.setString(2, json);
            u.setLong(3, now.toEpochMilli());
            u.executeUpdate();
        }
    }
}
