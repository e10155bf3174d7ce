-- Per-server stats derived from per-tool stats, identical on both layouts.
CREATE OR REPLACE VIEW server_stats_1m AS
    SELECT tenant_id, bucket, server_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, max(max_duration_us) AS max_duration_us
      FROM tool_stats_1m GROUP BY tenant_id, bucket, server_name;

CREATE OR REPLACE VIEW server_stats_1h AS
    SELECT tenant_id, bucket, server_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, max(max_duration_us) AS max_duration_us
      FROM tool_stats_1h GROUP BY tenant_id, bucket, server_name;

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
GRANT SELECT ON tool_stats_1m, tool_stats_1h, server_stats_1m, server_stats_1h TO mcp_hub_app;
GRANT USAGE ON SEQUENCE tool_executions_id_seq, events_id_seq, logs_id_seq TO mcp_hub_app;
REVOKE ALL ON FUNCTION mcp_telemetry_maintain(integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION mcp_telemetry_refresh_rollups(timestamptz, timestamptz) FROM PUBLIC;
