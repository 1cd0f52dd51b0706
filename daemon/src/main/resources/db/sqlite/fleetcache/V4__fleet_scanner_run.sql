-- The scanner's last finished run as the shared store has it (the columns of registry_runs that the metrics read).
CREATE TABLE fleet_scanner_runs (id INTEGER PRIMARY KEY, finished_ms INTEGER, tags INTEGER NOT NULL,
    drift INTEGER NOT NULL, tamper INTEGER NOT NULL, errors INTEGER NOT NULL);
