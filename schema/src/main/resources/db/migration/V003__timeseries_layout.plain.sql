-- Plain PostgreSQL layout: daily range partitions (created ahead by mcp_telemetry_maintain, see
-- R__maintenance.plain.sql), a default partition per table, and rollup tables the sink refreshes for
-- the time ranges it wrote. TimescaleDB gets the same functions and views from its own files, so
-- nothing above the schema can tell.

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

-- Rows outside every daily partition (clock skew, late backlog) land here instead of failing a batch.
CREATE TABLE IF NOT EXISTS server_status_history_default PARTITION OF server_status_history DEFAULT;
CREATE TABLE IF NOT EXISTS tool_executions_default       PARTITION OF tool_executions DEFAULT;
CREATE TABLE IF NOT EXISTS events_default                PARTITION OF events DEFAULT;
CREATE TABLE IF NOT EXISTS logs_default                  PARTITION OF logs DEFAULT;
CREATE TABLE IF NOT EXISTS oauth_flows_default           PARTITION OF oauth_flows DEFAULT;
CREATE TABLE IF NOT EXISTS api_requests_default          PARTITION OF api_requests DEFAULT;
CREATE TABLE IF NOT EXISTS infra_metrics_default         PARTITION OF infra_metrics DEFAULT;

CREATE TABLE IF NOT EXISTS tool_stats_1m_rollup (
    tenant_id         text        NOT NULL,
    bucket            timestamptz NOT NULL,
    server_name       text        NOT NULL,
    tool_name         text        NOT NULL,
    calls             bigint      NOT NULL,
    errors            bigint      NOT NULL,
    total_duration_us bigint      NOT NULL,
    min_duration_us   bigint      NOT NULL,
    max_duration_us   bigint      NOT NULL,
    PRIMARY KEY (tenant_id, bucket, server_name, tool_name)
);
CREATE TABLE IF NOT EXISTS tool_stats_1h_rollup (LIKE tool_stats_1m_rollup INCLUDING ALL);
