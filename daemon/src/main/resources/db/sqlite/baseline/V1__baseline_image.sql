CREATE TABLE baseline_image (image_id TEXT PRIMARY KEY, image_ref TEXT NOT NULL, built_at_ms INTEGER NOT NULL,
    build_ms INTEGER NOT NULL, files INTEGER NOT NULL);
