CREATE TABLE profile_state (image_id TEXT PRIMARY KEY, image_ref TEXT NOT NULL, learn_from_ms INTEGER NOT NULL,
    learn_until_ms INTEGER, learn_count INTEGER);
