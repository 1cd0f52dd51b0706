-- What a fleet of hosts shares besides the stores' own tables. Every change of a shared topic
-- (approvals, baselines, policies) bumps its revision and announces it with NOTIFY on channel
-- driftguard as 'TOPIC REVISION'; hosts LISTEN and re-read. NOTIFY is not replayed, so a host
-- that reconnects re-reads every topic whatever the revision.
CREATE TABLE fleet_revisions (topic TEXT PRIMARY KEY, revision BIGINT NOT NULL);

CREATE FUNCTION driftguard_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rev BIGINT;
BEGIN
    INSERT INTO fleet_revisions(topic, revision) VALUES (TG_ARGV[0], 1)
        ON CONFLICT (topic) DO UPDATE SET revision = fleet_revisions.revision + 1
        RETURNING revision INTO rev;
    PERFORM pg_notify('driftguard', TG_ARGV[0] || ' ' || rev);
    RETURN NULL;
END
$$;

-- One row per host, upserted by its daemon's heartbeat.
CREATE TABLE hosts (host_id TEXT COLLATE "C" PRIMARY KEY, version TEXT NOT NULL, started_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL, running INTEGER NOT NULL, attached INTEGER NOT NULL, policy_source TEXT NOT NULL,
    policy_revision BIGINT, queued_events BIGINT NOT NULL);

-- Policy sets published with driftguard policy publish: the files of the folder as a JSON object.
CREATE TABLE policy_revisions (revision BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, published_ms BIGINT NOT NULL,
    published_by TEXT NOT NULL, files TEXT NOT NULL);
CREATE TRIGGER policy_revisions_changed AFTER INSERT OR UPDATE OR DELETE ON policy_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION driftguard_changed('policies');
