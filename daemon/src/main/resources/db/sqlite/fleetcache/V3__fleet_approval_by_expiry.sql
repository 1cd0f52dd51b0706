-- The approvals' author and expiry (registry_tags' approved_by, approved_until_ms): an expired one no longer admits.
ALTER TABLE fleet_approvals ADD COLUMN approved_by TEXT;
ALTER TABLE fleet_approvals ADD COLUMN approved_until_ms INTEGER;
