CREATE TABLE scan_imports (id INTEGER PRIMARY KEY, source TEXT NOT NULL, sha256 TEXT NOT NULL,
    imported_ms INTEGER NOT NULL, advisories INTEGER NOT NULL, newest_modified_ms INTEGER NOT NULL,
    ecosystems TEXT NOT NULL);
