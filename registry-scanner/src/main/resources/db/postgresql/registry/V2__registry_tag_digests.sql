-- seq: the order digests were first recorded in (SQLite's rowid).
CREATE TABLE registry_tag_digests (tag_id BIGINT NOT NULL REFERENCES registry_tags(id),
    digest TEXT NOT NULL, media_type TEXT, first_seen_ms BIGINT NOT NULL, last_seen_ms BIGINT NOT NULL,
    seq BIGINT GENERATED ALWAYS AS IDENTITY, PRIMARY KEY(tag_id, digest));
