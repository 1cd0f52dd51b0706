-- What each created container was made of, by "name:NAME" and "compose:PROJECT/SERVICE", for configuration drift.
CREATE TABLE admission_containers (key TEXT PRIMARY KEY, name TEXT NOT NULL, summary TEXT NOT NULL,
    updated_ms BIGINT NOT NULL);
