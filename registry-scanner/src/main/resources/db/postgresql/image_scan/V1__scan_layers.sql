CREATE TABLE scan_layers (digest TEXT PRIMARY KEY, content TEXT NOT NULL, scanned_ms BIGINT NOT NULL);
