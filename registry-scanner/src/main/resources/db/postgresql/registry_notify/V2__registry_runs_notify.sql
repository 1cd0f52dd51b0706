-- Hosts re-read the scanner's last run (for their metrics) when a run (on any host) starts or finishes.
CREATE TRIGGER registry_runs_changed AFTER INSERT OR UPDATE OR DELETE ON registry_runs
    FOR EACH STATEMENT EXECUTE FUNCTION driftguard_changed('runs');
