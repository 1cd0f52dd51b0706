-- An import replaces an advisory's affected rows by id; without this index each replacement scans the table.
CREATE INDEX scan_affected_advisory ON scan_affected(advisory_id);
