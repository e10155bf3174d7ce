-- The hub's API requests per tenant and hour, written by the sink with the rows in the same transaction
-- (exactly once), like rollup_tenant_1h: requests, server errors (status >= 500) and a latency histogram
-- (the log buckets of V004: a percentile within 2 %). The dashboard's API totals of a window over an hour
-- read its whole hours, and only the partial hours at the two ends from the raw rows. This migration
-- fills it from the requests already stored.

CREATE TABLE IF NOT EXISTS rollup_api_1h (
    tenant_id      text        NOT NULL,
    bucket         timestamptz NOT NULL,
    requests       bigint      NOT NULL,
    server_errors  bigint      NOT NULL,
    latency_keys   smallint[]  NOT NULL,
    latency_counts bigint[]    NOT NULL,
    compacted      boolean     NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS rollup_api_1h_tenant_bucket ON rollup_api_1h (tenant_id, bucket);
CREATE INDEX IF NOT EXISTS rollup_api_1h_fresh ON rollup_api_1h (tenant_id, bucket) WHERE NOT compacted;

ALTER TABLE rollup_api_1h ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON rollup_api_1h;
CREATE POLICY tenant_isolation ON rollup_api_1h USING (tenant_id = mcp_telemetry_tenant())
    WITH CHECK (tenant_id = mcp_telemetry_tenant());
GRANT SELECT, INSERT ON rollup_api_1h TO mcp_tenant;

DO $$
BEGIN
    -- Citus layout (V006 distributed tenants): distributed and co-located like every tenant table
    IF to_regclass('pg_dist_partition') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'tenants'::regclass) THEN
            PERFORM create_distributed_table('rollup_api_1h', 'tenant_id', colocate_with => 'tenants');
        END IF;
    END IF;
END $$;

-- bucket k holds latencies d (µs) with ceil(ln d / ln (1.02 / 0.98)) = k, 0 for d <= 1 (LatencyHistogram.key)
INSERT INTO rollup_api_1h (tenant_id, bucket, requests, server_errors, latency_keys, latency_counts, compacted)
SELECT tenant_id, bucket, sum(n)::bigint, sum(errors)::bigint, array_agg(k ORDER BY k), array_agg(n ORDER BY k), true
  FROM (SELECT tenant_id, date_trunc('hour', occurred_at) AS bucket,
               CASE WHEN latency_us <= 1 THEN 0 ELSE ceil(ln(latency_us::float8) / ln(1.02::float8 / 0.98::float8)) END::smallint AS k,
               count(*) AS n, count(*) FILTER (WHERE status >= 500) AS errors
          FROM api_requests GROUP BY 1, 2, 3) h
 GROUP BY tenant_id, bucket;
