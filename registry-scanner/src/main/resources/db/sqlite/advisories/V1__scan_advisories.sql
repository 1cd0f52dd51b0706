CREATE TABLE scan_advisories (id TEXT PRIMARY KEY, aliases TEXT NOT NULL, summary TEXT NOT NULL,
    severity TEXT NOT NULL, modified_ms INTEGER NOT NULL);
