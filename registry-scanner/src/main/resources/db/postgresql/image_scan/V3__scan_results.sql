CREATE TABLE scan_results (image_digest TEXT PRIMARY KEY, max_severity TEXT, findings TEXT NOT NULL,
    scanned_ms BIGINT NOT NULL);
