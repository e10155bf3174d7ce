-- See V005__execution_side.plain.sql. Continuous aggregates cannot change their query, so they are
-- rebuilt to count downstream calls only (the views on top keep their names and columns).
ALTER TABLE tool_executions ADD COLUMN IF NOT EXISTS side text NOT NULL DEFAULT 'downstream'
    CHECK (side IN ('downstream', 'served'));

DROP VIEW IF EXISTS server_stats_1m, server_stats_1h, tool_stats_1m, tool_stats_1h;
DROP MATERIALIZED VIEW IF EXISTS tool_stats_1m_cagg, tool_stats_1h_cagg;

CREATE MATERIALIZED VIEW tool_stats_1m_cagg WITH (timescaledb.continuous) AS
    SELECT tenant_id, time_bucket(interval '1 minute', started_at) AS bucket, server_name, tool_name,
           count(*) AS calls, count(*) FILTER (WHERE outcome <> 'success') AS errors,
           sum(duration_us)::bigint AS total_duration_us, min(duration_us) AS min_duration_us,
           max(duration_us) AS max_duration_us
      FROM tool_executions WHERE side = 'downstream'
     GROUP BY 1, 2, 3, 4
WITH NO DATA;

CREATE MATERIALIZED VIEW tool_stats_1h_cagg WITH (timescaledb.continuous) AS
    SELECT tenant_id, time_bucket(interval '1 hour', started_at) AS bucket, server_name, tool_name,
           count(*) AS calls, count(*) FILTER (WHERE outcome <> 'success') AS errors,
           sum(duration_us)::bigint AS total_duration_us, min(duration_us) AS min_duration_us,
           max(duration_us) AS max_duration_us
      FROM tool_executions WHERE side = 'downstream'
     GROUP BY 1, 2, 3, 4
WITH NO DATA;

SELECT add_continuous_aggregate_policy('tool_stats_1m_cagg', start_offset => interval '3 hours',
       end_offset => interval '1 minute', schedule_interval => interval '1 minute', if_not_exists => true);
SELECT add_continuous_aggregate_policy('tool_stats_1h_cagg', start_offset => interval '3 days',
       end_offset => interval '1 hour', schedule_interval => interval '30 minutes', if_not_exists => true);
SELECT add_retention_policy('tool_stats_1m_cagg', interval '30 days', if_not_exists => true);
SELECT add_retention_policy('tool_stats_1h_cagg', interval '400 days', if_not_exists => true);

CREATE VIEW tool_stats_1m WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, calls, errors, total_duration_us, min_duration_us, max_duration_us
      FROM tool_stats_1m_cagg WHERE tenant_id = current_setting('mcp.tenant_id', true);
CREATE VIEW tool_stats_1h WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, calls, errors, total_duration_us, min_duration_us, max_duration_us
      FROM tool_stats_1h_cagg WHERE tenant_id = current_setting('mcp.tenant_id', true);
CREATE VIEW server_stats_1m AS
    SELECT tenant_id, bucket, server_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, max(max_duration_us) AS max_duration_us
      FROM tool_stats_1m GROUP BY tenant_id, bucket, server_name;
CREATE VIEW server_stats_1h AS
    SELECT tenant_id, bucket, server_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, max(max_duration_us) AS max_duration_us
      FROM tool_stats_1h GROUP BY tenant_id, bucket, server_name;
GRANT SELECT ON tool_stats_1m, tool_stats_1h, server_stats_1m, server_stats_1h TO mcp_hub_app;
