-- Hosts re-read the approvals when the scanner (on any host) changes a tag.
CREATE TRIGGER registry_tags_changed AFTER INSERT OR UPDATE OR DELETE ON registry_tags
    FOR EACH STATEMENT EXECUTE FUNCTION driftguard_changed('approvals');
