-- The sending host's own sequence number of a queued event: a batch sent again after a lost
-- answer inserts nothing twice (ON CONFLICT DO NOTHING). Rows written directly (the scanner) have none.
ALTER TABLE events ADD COLUMN host_seq BIGINT;
CREATE UNIQUE INDEX events_host_seq ON events(host_id, host_seq);
