-- Who approved a tag's digest (driftguard-scan approve --by, else the invoking user), and until
-- when the approval counts (--expires; NULL: until approved again). Older approvals have neither.
ALTER TABLE registry_tags ADD COLUMN approved_by TEXT;
ALTER TABLE registry_tags ADD COLUMN approved_until_ms INTEGER;
