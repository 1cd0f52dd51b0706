CREATE TABLE registry_tag_digests (tag_id INTEGER NOT NULL REFERENCES registry_tags(id),
    digest TEXT NOT NULL, media_type TEXT, first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
    PRIMARY KEY(tag_id, digest));
