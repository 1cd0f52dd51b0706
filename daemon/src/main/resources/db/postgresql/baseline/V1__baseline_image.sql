CREATE TABLE baseline_image (image_id TEXT PRIMARY KEY, image_ref TEXT NOT NULL, built_at_ms BIGINT NOT NULL,
    build_ms BIGINT NOT NULL, files BIGINT NOT NULL);
