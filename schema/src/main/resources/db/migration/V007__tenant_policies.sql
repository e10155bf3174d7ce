-- Row-level security on every tenant table in public (on TimescaleDB the time-series names there
-- are views, which filter by themselves). The policy applies to everybody but the owner; the
-- partitions of a partitioned table get no grant at all, so they cannot be read directly.

DO $$
DECLARE
    t record;
    registry text[] := ARRAY['tenants', 'hub_instances', 'mcp_servers', 'tools', 'resources', 'prompts'];
BEGIN
    FOR t IN SELECT c.relname
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                AND c.relname <> 'api_tokens'
                AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                                                          AND NOT a.attisdropped)
              ORDER BY c.relname LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t.relname);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON public.%I', t.relname);
        EXECUTE format('CREATE POLICY tenant_isolation ON public.%I USING (tenant_id = mcp_telemetry_tenant()) '
                       'WITH CHECK (tenant_id = mcp_telemetry_tenant())', t.relname);
        EXECUTE format('GRANT SELECT, INSERT%s ON public.%I TO mcp_tenant',
                       CASE WHEN t.relname = ANY (registry) THEN ', UPDATE' ELSE '' END, t.relname);
    END LOOP;
END $$;

-- Ids for the rows a tenant writes, and how far each id sequence has gone (the live stream).
GRANT USAGE, SELECT ON SEQUENCE tool_executions_id_seq, events_id_seq, logs_id_seq TO mcp_tenant;
