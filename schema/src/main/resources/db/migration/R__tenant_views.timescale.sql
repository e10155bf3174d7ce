-- Tenant totals per minute and failed calls per hour and day (see R__rollup_views.sql), from the
-- continuous aggregates (real-time: they include rows newer than their last refresh).

DROP VIEW IF EXISTS tenant_stats_1m, error_stats_1h, error_stats_1d;

CREATE VIEW tenant_stats_1m WITH (security_barrier) AS
    SELECT tenant_id, bucket, side, calls, errors, total_duration_us, max_duration_us
      FROM mcp_store.cagg_tenant_1m WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

CREATE VIEW error_stats_1h WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, side, error_class, outcome, errors, last_seen_at, last_message
      FROM mcp_store.cagg_error_1h WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

CREATE VIEW error_stats_1d WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, side, error_class, outcome, errors, last_seen_at, last_message
      FROM mcp_store.cagg_error_1d WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

GRANT SELECT ON tenant_stats_1m, error_stats_1h, error_stats_1d TO mcp_tenant;
