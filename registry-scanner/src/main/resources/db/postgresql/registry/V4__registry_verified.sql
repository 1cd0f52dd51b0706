CREATE TABLE registry_verified (registry TEXT NOT NULL, digest TEXT NOT NULL, size BIGINT NOT NULL,
    verified_ms BIGINT NOT NULL, PRIMARY KEY(registry, digest));
