-- OAuth flow steps per tenant and day (UTC), written by the sink with the rows in the same transaction
-- (exactly once), like rollup_api_1h: the steps by outcome, their durations' sum and count (for the
-- average), and the ids of the flows with a step that day. A flow's steps may fall on two days, so the
-- flows of a window are the union of its days' ids, not a sum: the ids are few (a flow is one sign-in
-- or one token request), sorted and without repeats once compacted. The dashboard's OAuth summary of a
-- window over two days reads its whole days here and only the partial days at its two ends from the raw
-- rows: 30 days were a scan and a sort of every step in 30 daily partitions (half of the PostgreSQL time
-- of a 30-day dashboard). This migration fills it from the steps already stored.

CREATE TABLE IF NOT EXISTS rollup_oauth_1d (
    tenant_id    text        NOT NULL,
    bucket       timestamptz NOT NULL,
    steps        bigint      NOT NULL,
    success      bigint      NOT NULL,
    failure      bigint      NOT NULL,
    pending      bigint      NOT NULL,
    duration_us  bigint      NOT NULL,
    durations    bigint      NOT NULL,
    flow_ids     text[]      NOT NULL,
    compacted    boolean     NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS rollup_oauth_1d_tenant_bucket ON rollup_oauth_1d (tenant_id, bucket);
CREATE INDEX IF NOT EXISTS rollup_oauth_1d_fresh ON rollup_oauth_1d (tenant_id, bucket) WHERE NOT compacted;

ALTER TABLE rollup_oauth_1d ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON rollup_oauth_1d;
CREATE POLICY tenant_isolation ON rollup_oauth_1d USING (tenant_id = mcp_telemetry_tenant())
    WITH CHECK (tenant_id = mcp_telemetry_tenant());
GRANT SELECT, INSERT ON rollup_oauth_1d TO mcp_tenant;

DO $$
BEGIN
    -- Citus layout (V006 distributed tenants): distributed and co-located like every tenant table
    IF to_regclass('pg_dist_partition') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'tenants'::regclass) THEN
            PERFORM create_distributed_table('rollup_oauth_1d', 'tenant_id', colocate_with => 'tenants');
        END IF;
    END IF;
END $$;

INSERT INTO rollup_oauth_1d (tenant_id, bucket, steps, success, failure, pending, duration_us, durations, flow_ids, compacted)
SELECT tenant_id, date_trunc('day', occurred_at, 'UTC'), count(*),
       count(*) FILTER (WHERE outcome = 'success'), count(*) FILTER (WHERE outcome = 'failure'),
       count(*) FILTER (WHERE outcome = 'pending'), coalesce(sum(duration_us), 0)::bigint, count(duration_us),
       array_agg(DISTINCT flow_id COLLATE "C"), true
  FROM oauth_flows
 GROUP BY 1, 2;
