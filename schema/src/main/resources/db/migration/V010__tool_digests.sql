-- Every tool's figures of one tenant, side and hour (day) in one row: the API's windows beyond an hour
-- read one row per bucket instead of one per tool and bucket (30 days of 500 tools: 31 rows instead of
-- 15,500). digest holds, per tool, what rollup_tool_1h/1d hold (calls, errors, durations, last call,
-- latency histogram), in the binary format of io.mcphub.telemetry.model.ToolDigest. Like the per-tool
-- rollups, each row is an increment written by the sink in the batch's transaction (so exactly once);
-- the increments of a key add up and the sink's maintenance merges them into one ("compacted").
-- This migration fills both tables from the per-tool rollups already stored (a step in Java that the
-- migrator runs before it records V010).

CREATE TABLE IF NOT EXISTS rollup_tool_digest_1h (
    tenant_id text        NOT NULL,
    bucket    timestamptz NOT NULL,
    side      text        NOT NULL,
    digest    bytea       NOT NULL,
    compacted boolean     NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS rollup_tool_digest_1d (LIKE rollup_tool_digest_1h INCLUDING DEFAULTS INCLUDING CONSTRAINTS);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['rollup_tool_digest_1h', 'rollup_tool_digest_1d'] LOOP
        -- stored out of line uncompressed: varints gain little from compression, and a read should not
        -- pay for decompressing it
        EXECUTE format('ALTER TABLE %I ALTER COLUMN digest SET STORAGE EXTERNAL', t);
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (tenant_id, bucket)', t || '_tenant_bucket', t);
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (tenant_id, bucket) WHERE NOT compacted', t || '_fresh', t);
        -- as on every tenant table (V007); tenants may also delete their own rows: the sink's maintenance
        -- replaces a key's increments by their merge under the sink's login
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = mcp_telemetry_tenant()) '
                       'WITH CHECK (tenant_id = mcp_telemetry_tenant())', t);
        EXECUTE format('GRANT SELECT, INSERT, DELETE ON %I TO mcp_tenant', t);
        -- Citus layout (V006 distributed tenants): distributed and co-located like every tenant table
        IF to_regclass('pg_dist_partition') IS NOT NULL THEN
            IF EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'tenants'::regclass) THEN
                PERFORM create_distributed_table(t::regclass, 'tenant_id', colocate_with => 'tenants');
            END IF;
        END IF;
    END LOOP;
END $$;
