-- Hosts re-read baselines and profiles when another host (or the CLI) changes them.
CREATE TRIGGER baseline_image_changed AFTER INSERT OR UPDATE OR DELETE ON baseline_image
    FOR EACH STATEMENT EXECUTE FUNCTION driftguard_changed('baselines');
CREATE TRIGGER profile_state_changed AFTER INSERT OR UPDATE OR DELETE ON profile_state
    FOR EACH STATEMENT EXECUTE FUNCTION driftguard_changed('baselines');
CREATE TRIGGER profile_entry_changed AFTER INSERT OR UPDATE OR DELETE ON profile_entry
    FOR EACH STATEMENT EXECUTE FUNCTION driftguard_changed('baselines');
