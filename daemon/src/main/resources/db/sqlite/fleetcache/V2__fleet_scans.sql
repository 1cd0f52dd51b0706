-- The image scans last read from the shared store (the columns of scan_results that admission reads).
CREATE TABLE fleet_scans (image_digest TEXT PRIMARY KEY, max_severity TEXT, scanned_ms INTEGER NOT NULL);
