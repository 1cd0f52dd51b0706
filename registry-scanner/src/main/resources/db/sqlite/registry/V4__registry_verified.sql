CREATE TABLE registry_verified (registry TEXT NOT NULL, digest TEXT NOT NULL, size INTEGER NOT NULL,
    verified_ms INTEGER NOT NULL, PRIMARY KEY(registry, digest));
