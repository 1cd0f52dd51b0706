CREATE TABLE scan_affected (advisory_id TEXT NOT NULL REFERENCES scan_advisories(id) ON DELETE CASCADE,
    ecosystem TEXT COLLATE "C" NOT NULL, name TEXT NOT NULL, affected TEXT NOT NULL);
CREATE INDEX scan_affected_package ON scan_affected(name, ecosystem);
