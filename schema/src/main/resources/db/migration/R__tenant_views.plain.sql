-- Tenant totals per minute and failed calls per hour and day (see R__rollup_views.sql), from the
-- sink's increments.

DROP VIEW IF EXISTS tenant_stats_1m, error_stats_1h, error_stats_1d;

CREATE VIEW tenant_stats_1m WITH (security_barrier) AS
    SELECT tenant_id, bucket, side, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, max(max_duration_us) AS max_duration_us
      FROM rollup_tenant_1m WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()))
     GROUP BY tenant_id, bucket, side;

CREATE VIEW error_stats_1h WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, side, error_class, outcome, sum(errors)::bigint AS errors,
           max(last_seen_at) AS last_seen_at, (array_agg(last_message ORDER BY last_seen_at DESC))[1] AS last_message
      FROM rollup_error_1h WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()))
     GROUP BY tenant_id, bucket, server_name, tool_name, side, error_class, outcome;

CREATE VIEW error_stats_1d WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, side, error_class, outcome, sum(errors)::bigint AS errors,
           max(last_seen_at) AS last_seen_at, (array_agg(last_message ORDER BY last_seen_at DESC))[1] AS last_message
      FROM rollup_error_1d WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()))
     GROUP BY tenant_id, bucket, server_name, tool_name, side, error_class, outcome;

GRANT SELECT ON tenant_stats_1m, error_stats_1h, error_stats_1d TO mcp_tenant;
