-- Drift and tamper stay open until they are dealt with: drift until the tag is approved (again),
-- tamper until the tag's content verifies intact.
ALTER TABLE registry_tags ADD COLUMN drift_from TEXT;
ALTER TABLE registry_tags ADD COLUMN drift_ms BIGINT;
ALTER TABLE registry_tags ADD COLUMN tamper TEXT;
ALTER TABLE registry_tags ADD COLUMN tamper_ms BIGINT;
