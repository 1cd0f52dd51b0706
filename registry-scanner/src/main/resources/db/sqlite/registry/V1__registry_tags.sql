CREATE TABLE registry_tags (id INTEGER PRIMARY KEY, registry TEXT NOT NULL, repository TEXT NOT NULL,
    tag TEXT NOT NULL, current_digest TEXT, approved_digest TEXT, approved_ms INTEGER,
    UNIQUE(registry, repository, tag));
