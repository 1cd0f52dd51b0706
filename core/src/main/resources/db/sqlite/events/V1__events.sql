CREATE TABLE events (id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, kind TEXT NOT NULL,
    action TEXT NOT NULL, container_id TEXT, container_name TEXT, policy TEXT, json TEXT NOT NULL);
