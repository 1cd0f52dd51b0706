-- Ordered by path and name as SQLite orders them: byte order, whatever the database's locale.
CREATE TABLE profile_entry (image_id TEXT NOT NULL, path TEXT COLLATE "C" NOT NULL, sha256 TEXT,
    invoked_name TEXT COLLATE "C" NOT NULL, parent TEXT NOT NULL, uid INTEGER NOT NULL, first_seen_ms BIGINT NOT NULL,
    PRIMARY KEY (image_id, path, invoked_name, parent, uid));
