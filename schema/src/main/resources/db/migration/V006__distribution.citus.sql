-- Citus: every tenant table distributed by tenant_id and co-located with tenants, so a tenant's
-- rows of every table live on the same worker and its queries and batches go to one shard. Partitions
-- made later are distributed with their parent. Global tables stay on the coordinator: the schema
-- history, telemetry_timeseries and api_tokens, which only the owner reads. Sequences keep their
-- defaults on the coordinator, so ids grow in insertion order as the live stream needs.

SELECT create_distributed_table('tenants', 'tenant_id');
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['hub_instances', 'mcp_servers', 'tools', 'resources', 'prompts', 'ingest_batches',
                             'server_status_history', 'tool_executions', 'events', 'logs', 'oauth_flows', 'api_requests',
                             'infra_metrics', 'rollup_tool_1h', 'rollup_tool_1d', 'rollup_tenant_1h', 'rollup_tenant_1m', 'rollup_error_1h',
                             'rollup_error_1d'] LOOP
        PERFORM create_distributed_table(t::regclass, 'tenant_id', colocate_with => 'tenants');
    END LOOP;
END $$;
