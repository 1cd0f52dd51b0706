CREATE TABLE profile_state (image_id TEXT PRIMARY KEY, image_ref TEXT NOT NULL, learn_from_ms BIGINT NOT NULL,
    learn_until_ms BIGINT, learn_count BIGINT);
