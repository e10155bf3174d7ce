-- TimescaleDB layout: hypertables, continuous aggregates, compression and retention policies.
-- Exposes the same functions and views as the plain layout (R__*.timescale.sql).
-- Continuous aggregates are created WITH NO DATA so this file can run inside a transaction.

CREATE TABLE IF NOT EXISTS telemetry_timeseries (
    table_name  text PRIMARY KEY,
    time_column text NOT NULL
);
INSERT INTO telemetry_timeseries (table_name, time_column) VALUES
    ('server_status_history', 'occurred_at'),
    ('tool_executions',       'started_at'),
    ('events',                'occurred_at'),
    ('logs',                  'occurred_at'),
    ('oauth_flows',           'occurred_at'),
    ('api_requests',          'occurred_at'),
    ('infra_metrics',         'sampled_at')
ON CONFLICT (table_name) DO NOTHING;

DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT table_name, time_column FROM telemetry_timeseries LOOP
        PERFORM create_hypertable(r.table_name::regclass, r.time_column::name,
                                  chunk_time_interval => interval '1 day', if_not_exists => true);
        EXECUTE format('ALTER TABLE %I SET (timescaledb.compress, timescaledb.compress_segmentby = %L)',
                       r.table_name, 'tenant_id');
        PERFORM add_compression_policy(r.table_name::regclass, interval '2 days', if_not_exists => true);
        PERFORM add_retention_policy(r.table_name::regclass, interval '30 days', if_not_exists => true);
    END LOOP;
END $$;

-- Per-server statistics are about downstream servers only.
CREATE MATERIALIZED VIEW IF NOT EXISTS tool_stats_1m_cagg WITH (timescaledb.continuous) AS
    SELECT tenant_id, time_bucket(interval '1 minute', started_at) AS bucket, server_name, tool_name,
           count(*) AS calls, count(*) FILTER (WHERE outcome <> 'success') AS errors,
           sum(duration_us)::bigint AS total_duration_us, min(duration_us) AS min_duration_us,
           max(duration_us) AS max_duration_us
      FROM tool_executions WHERE side = 'downstream'
     GROUP BY 1, 2, 3, 4
WITH NO DATA;

CREATE MATERIALIZED VIEW IF NOT EXISTS tool_stats_1h_cagg WITH (timescaledb.continuous) AS
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
