-- A host's local state beside a shared PostgreSQL store ([store] url): what it sends, what it last read.

-- Events waiting to be sent, oldest first; seq is this host's sequence number (events.host_seq).
CREATE TABLE fleet_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, kind TEXT NOT NULL,
    action TEXT NOT NULL, container_id TEXT, container_name TEXT, policy TEXT, json TEXT NOT NULL);
-- A cache made again (deleted, restored) must not reuse numbers the shared store has already seen,
-- or its events would be taken for duplicates: numbering starts at the creation time in microseconds.
INSERT INTO sqlite_sequence(name, seq) VALUES ('fleet_outbox', CAST(strftime('%s', 'now') AS INTEGER) * 1000000);

-- The approvals last read from the shared store (the columns of registry_tags that admission reads).
CREATE TABLE fleet_approvals (registry TEXT NOT NULL, repository TEXT NOT NULL, tag TEXT NOT NULL,
    approved_digest TEXT NOT NULL, approved_ms INTEGER, PRIMARY KEY (registry, repository, tag));

-- The newest published policy revision read: its files as a JSON object of name to text.
CREATE TABLE fleet_policy (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL, files TEXT NOT NULL);

-- Images whose baseline or profile changed on this host and is not yet in the shared store;
-- mark counts the changes, so that a change during a send keeps the image pending.
CREATE TABLE fleet_pending (image_id TEXT PRIMARY KEY, mark INTEGER NOT NULL);
