CREATE TEMP TABLE IF NOT EXISTS stage_tool_executions (tenant_id text, instance_id text, server_name text, tool_name text, started_at timestamptz, duration_us bigint, outcome text, error_class text, error_message text, argument_bytes integer, result_bytes integer, session_id text, request_id text, arguments text, result text) ON COMMIT DELETE ROWS;

INSERT INTO tool_executions (tenant_id, instance_id, server_name, tool_name, started_at, duration_us, outcome, error_class, error_message, argument_bytes, result_bytes, session_id, request_id, arguments, result)
SELECT tenant_id, instance_id, server_name, tool_name, started_at, duration_us, outcome, error_class, error_message, argument_bytes, result_bytes, session_id, request_id, arguments, result FROM stage_tool_executions;
