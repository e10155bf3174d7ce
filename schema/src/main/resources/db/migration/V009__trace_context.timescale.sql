-- W3C trace context of each execution (see V009__trace_context.plain.sql). Under TimescaleDB the table
-- lives in mcp_store and tenants see it through a view whose column list was fixed when it was made:
-- the view is made again so that it shows the new column (appended, so existing readers are unchanged).
ALTER TABLE mcp_store.tool_executions ADD COLUMN IF NOT EXISTS parent_span_id text;

CREATE OR REPLACE VIEW public.tool_executions WITH (security_barrier = true) AS
    SELECT * FROM mcp_store.tool_executions WHERE (tenant_id = mcp_telemetry_tenant() OR mcp_telemetry_is_owner())
    WITH CASCADED CHECK OPTION;
ALTER VIEW public.tool_executions ALTER COLUMN id SET DEFAULT nextval('tool_executions_id_seq');
ALTER VIEW public.tool_executions ALTER COLUMN side SET DEFAULT 'downstream';
