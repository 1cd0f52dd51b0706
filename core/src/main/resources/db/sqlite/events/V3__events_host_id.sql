-- The host that recorded the event ([daemon] host_id); rows of stores older than host ids have none.
ALTER TABLE events ADD COLUMN host_id TEXT;
CREATE INDEX events_host ON events(host_id, time_ms);
