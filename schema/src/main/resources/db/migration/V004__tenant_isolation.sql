-- The application role: may read and write telemetry rows of the tenant named by the transaction's
-- mcp.tenant_id setting, and nothing else. It owns nothing, so it can neither disable row-level
-- security nor bypass it. Its password is set by the migration runner from MCP_HUB_DB_PASSWORD.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mcp_hub_app') THEN
        CREATE ROLE mcp_hub_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- roles are cluster-wide: another database's migration created it at the same moment
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenants', 'hub_instances', 'mcp_servers', 'tools', 'resources', 'prompts',
                             'ingest_batches', 'server_status_history', 'tool_executions', 'events', 'logs',
                             'oauth_flows', 'api_requests', 'infra_metrics',
                             'tool_stats_1m_rollup', 'tool_stats_1h_rollup'] LOOP
        CONTINUE WHEN to_regclass(t) IS NULL;  -- rollup tables exist on the plain layout only
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_setting(%L, true)) '
                       'WITH CHECK (tenant_id = current_setting(%L, true))', t, 'mcp.tenant_id', 'mcp.tenant_id');
    END LOOP;
END $$;

GRANT USAGE ON SCHEMA public TO mcp_hub_app;
GRANT SELECT, INSERT, UPDATE ON tenants, hub_instances, mcp_servers, tools, resources, prompts TO mcp_hub_app;
GRANT SELECT, INSERT ON ingest_batches, server_status_history, tool_executions, events, logs, oauth_flows,
                        api_requests, infra_metrics TO mcp_hub_app;
-- The live stream reads how far each id sequence has gone (see the API server's README section).
GRANT USAGE, SELECT ON SEQUENCE tool_executions_id_seq, events_id_seq, logs_id_seq TO mcp_hub_app;
