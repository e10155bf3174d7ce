-- The hub's API requests per tenant and day (UTC), for the whole days of a long window's API totals
-- (30 days: ~30 rows instead of ~720 hourly ones, whose histograms PostgreSQL printed as ~85,000
-- numbers of text: 5 ms of every 30-day dashboard). The sink does not write it: compacting a tenant's
-- hourly increments (mcp_telemetry_compact_rollups) adds their sums per day here in the same statement,
-- so a day holds exactly its hours' compacted rows, and a reader of a whole day adds the hours'
-- increments not compacted yet. This migration fills it from the hours already compacted.

CREATE TABLE IF NOT EXISTS rollup_api_1d (LIKE rollup_api_1h INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE INDEX IF NOT EXISTS rollup_api_1d_tenant_bucket ON rollup_api_1d (tenant_id, bucket);
CREATE INDEX IF NOT EXISTS rollup_api_1d_fresh ON rollup_api_1d (tenant_id, bucket) WHERE NOT compacted;

ALTER TABLE rollup_api_1d ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON rollup_api_1d;
CREATE POLICY tenant_isolation ON rollup_api_1d USING (tenant_id = mcp_telemetry_tenant())
    WITH CHECK (tenant_id = mcp_telemetry_tenant());
GRANT SELECT, INSERT ON rollup_api_1d TO mcp_tenant;

DO $$
BEGIN
    -- Citus layout (V006 distributed tenants): distributed and co-located like every tenant table
    IF to_regclass('pg_dist_partition') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'tenants'::regclass) THEN
            PERFORM create_distributed_table('rollup_api_1d', 'tenant_id', colocate_with => 'tenants');
        END IF;
    END IF;
END $$;

WITH h AS (SELECT tenant_id, date_trunc('day', bucket, 'UTC') AS day, requests, server_errors, latency_keys, latency_counts
             FROM rollup_api_1h WHERE compacted),
sums AS (SELECT tenant_id, day, sum(requests)::bigint AS requests, sum(server_errors)::bigint AS server_errors
           FROM h GROUP BY 1, 2),
hist AS (SELECT tenant_id, day, k, sum(c)::bigint AS c FROM h, unnest(latency_keys, latency_counts) AS u(k, c) GROUP BY 1, 2, 3),
arrays AS (SELECT tenant_id, day, array_agg(k ORDER BY k) AS ks, array_agg(c ORDER BY k) AS cs FROM hist GROUP BY 1, 2)
INSERT INTO rollup_api_1d (tenant_id, bucket, requests, server_errors, latency_keys, latency_counts, compacted)
SELECT s.tenant_id, s.day, s.requests, s.server_errors, coalesce(a.ks, '{}'), coalesce(a.cs, '{}'), true
  FROM sums s LEFT JOIN arrays a USING (tenant_id, day);
