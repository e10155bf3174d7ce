-- The tool digests of whole weeks (Monday 00:00 UTC on), so that a long window reads a row per week
-- inside it and a row per day only at its two ends (30 days: ~10 rows instead of 31; 400 days: ~65
-- instead of 401). Unlike the hourly and daily digests, the sink does not write these: compacting a
-- day's increments (DigestCompaction) adds their merge to the week's row in the same transaction, so a
-- week holds exactly its days' compacted digests, and a reader of a whole week adds the days'
-- increments not compacted yet (V010's compacted flag). This migration fills the weeks from the daily
-- digests already compacted (a step in Java that the migrator runs before it records V012).

-- A compacted day must be in its week: in_week is set by the compaction that adds it there, so the
-- compaction of an agent built before V012 (which would leave its days out of their weeks, for good)
-- is refused and rolled back, and its increments wait for an upgraded agent's. NOT VALID: the days
-- compacted before are marked below, after the DDL (Citus refuses DDL after multi-shard DML in a
-- transaction).
ALTER TABLE rollup_tool_digest_1d ADD COLUMN IF NOT EXISTS in_week boolean;
ALTER TABLE rollup_tool_digest_1d ADD CONSTRAINT rollup_tool_digest_1d_in_week CHECK (NOT compacted OR in_week IS TRUE) NOT VALID;

CREATE TABLE IF NOT EXISTS rollup_tool_digest_1w (LIKE rollup_tool_digest_1h INCLUDING DEFAULTS INCLUDING CONSTRAINTS);

DO $$
BEGIN
    -- as V010 stores the hourly and daily digests
    ALTER TABLE rollup_tool_digest_1w ALTER COLUMN digest SET STORAGE EXTERNAL;
    CREATE INDEX IF NOT EXISTS rollup_tool_digest_1w_tenant_bucket ON rollup_tool_digest_1w (tenant_id, bucket);
    CREATE INDEX IF NOT EXISTS rollup_tool_digest_1w_fresh ON rollup_tool_digest_1w (tenant_id, bucket) WHERE NOT compacted;
    ALTER TABLE rollup_tool_digest_1w ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS tenant_isolation ON rollup_tool_digest_1w;
    CREATE POLICY tenant_isolation ON rollup_tool_digest_1w USING (tenant_id = mcp_telemetry_tenant())
        WITH CHECK (tenant_id = mcp_telemetry_tenant());
    -- a tenant's login compacts its own digests, weeks included
    GRANT SELECT, INSERT, DELETE ON rollup_tool_digest_1w TO mcp_tenant;
    -- Citus layout (V006 distributed tenants): distributed and co-located like every tenant table
    IF to_regclass('pg_dist_partition') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'tenants'::regclass) THEN
            PERFORM create_distributed_table('rollup_tool_digest_1w', 'tenant_id', colocate_with => 'tenants');
        END IF;
    END IF;
END $$;

-- the days compacted before this migration: the step in Java adds them to their weeks
UPDATE rollup_tool_digest_1d SET in_week = true WHERE compacted;
