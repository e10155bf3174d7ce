-- The statistics views of the API, identical in name and columns on both layouts. Rebuilt whenever
-- this file changes; the tenant's rows only (the rollups themselves have no tenant policy to rely on
-- under TimescaleDB, so the views filter, and security_barrier keeps that filter first).
DROP VIEW IF EXISTS server_stats_1m, server_stats_1h, tool_stats_1m, tool_stats_1h;

CREATE VIEW tool_stats_1m WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, calls, errors, total_duration_us, min_duration_us, max_duration_us
      FROM tool_stats_1m_rollup
     WHERE tenant_id = current_setting('mcp.tenant_id', true);

CREATE VIEW tool_stats_1h WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, calls, errors, total_duration_us, min_duration_us, max_duration_us
      FROM tool_stats_1h_rollup
     WHERE tenant_id = current_setting('mcp.tenant_id', true);

-- Per-server stats derived from per-tool stats.
CREATE VIEW server_stats_1m AS
    SELECT tenant_id, bucket, server_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, max(max_duration_us) AS max_duration_us
      FROM tool_stats_1m GROUP BY tenant_id, bucket, server_name;

CREATE VIEW server_stats_1h AS
    SELECT tenant_id, bucket, server_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, max(max_duration_us) AS max_duration_us
      FROM tool_stats_1h GROUP BY tenant_id, bucket, server_name;

GRANT SELECT ON tool_stats_1m, tool_stats_1h, server_stats_1m, server_stats_1h TO mcp_hub_app;
