CREATE TABLE registry_index_platforms (registry TEXT NOT NULL, repository TEXT NOT NULL,
    index_digest TEXT NOT NULL, platform TEXT COLLATE "C" NOT NULL, digest TEXT NOT NULL,
    PRIMARY KEY(registry, repository, index_digest, platform));
