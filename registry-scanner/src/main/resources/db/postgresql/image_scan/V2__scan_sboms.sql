CREATE TABLE scan_sboms (image_digest TEXT PRIMARY KEY, sbom TEXT NOT NULL, scanned_ms BIGINT NOT NULL);
