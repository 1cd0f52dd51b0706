CREATE INDEX events_time ON events(time_ms);
