-- Ordered as SQLite orders them: byte order, whatever the database's locale.
CREATE TABLE scan_advisories (id TEXT COLLATE "C" PRIMARY KEY, aliases TEXT NOT NULL, summary TEXT NOT NULL,
    severity TEXT NOT NULL, modified_ms BIGINT NOT NULL);
