-- Hosts re-read the scan results admission judges by when the scanner (on any host) stores one.
CREATE TRIGGER scan_results_changed AFTER INSERT OR UPDATE OR DELETE ON scan_results
    FOR EACH STATEMENT EXECUTE FUNCTION driftguard_changed('scans');
