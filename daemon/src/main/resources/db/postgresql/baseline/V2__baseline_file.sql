CREATE TABLE baseline_file (image_id TEXT NOT NULL REFERENCES baseline_image(image_id) ON DELETE CASCADE,
    path TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL, mode INTEGER NOT NULL,
    uid INTEGER NOT NULL, gid INTEGER NOT NULL, mtime_ns BIGINT NOT NULL, ctime_ns BIGINT NOT NULL,
    PRIMARY KEY (image_id, path));
