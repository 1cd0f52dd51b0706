CREATE TABLE profile_entry (image_id TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT, invoked_name TEXT NOT NULL,
    parent TEXT NOT NULL, uid INTEGER NOT NULL, first_seen_ms INTEGER NOT NULL,
    PRIMARY KEY (image_id, path, invoked_name, parent, uid)) WITHOUT ROWID;
