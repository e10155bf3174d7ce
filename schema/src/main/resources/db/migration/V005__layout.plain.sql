-- The partitioned layouts (plain PostgreSQL and Citus): a default partition per time-series table
-- catches rows outside every daily partition (clock skew, a late backlog) instead of failing a batch;
-- daily partitions are made ahead by mcp_telemetry_maintain (R__partitions.plain.sql). The tenant
-- and error rollups are tables the sink adds increments to, as it does for the tool rollups.

CREATE TABLE IF NOT EXISTS server_status_history_default PARTITION OF server_status_history DEFAULT;
CREATE TABLE IF NOT EXISTS tool_executions_default       PARTITION OF tool_executions DEFAULT;
CREATE TABLE IF NOT EXISTS events_default                PARTITION OF events DEFAULT;
CREATE TABLE IF NOT EXISTS logs_default                  PARTITION OF logs DEFAULT;
CREATE TABLE IF NOT EXISTS oauth_flows_default           PARTITION OF oauth_flows DEFAULT;
CREATE TABLE IF NOT EXISTS api_requests_default          PARTITION OF api_requests DEFAULT;
CREATE TABLE IF NOT EXISTS infra_metrics_default         PARTITION OF infra_metrics DEFAULT;

-- Calls of a tenant per minute (totals and series over any window).
CREATE TABLE IF NOT EXISTS rollup_tenant_1m (
    tenant_id         text        NOT NULL,
    bucket            timestamptz NOT NULL,
    side              text        NOT NULL,
    calls             bigint      NOT NULL,
    errors            bigint      NOT NULL,
    total_duration_us bigint      NOT NULL,
    max_duration_us   bigint      NOT NULL,
    compacted         boolean     NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS rollup_tenant_1m_tenant_bucket ON rollup_tenant_1m (tenant_id, bucket);
CREATE INDEX IF NOT EXISTS rollup_tenant_1m_fresh ON rollup_tenant_1m (tenant_id, bucket) WHERE NOT compacted;

-- Failed calls by tool and error class (the outcome where the call had no class), by hour and day.
CREATE TABLE IF NOT EXISTS rollup_error_1h (
    tenant_id    text        NOT NULL,
    bucket       timestamptz NOT NULL,
    server_name  text        NOT NULL,
    tool_name    text        NOT NULL,
    side         text        NOT NULL,
    error_class  text        NOT NULL,
    outcome      text        NOT NULL,
    errors       bigint      NOT NULL,
    last_seen_at timestamptz NOT NULL,
    last_message text,
    compacted    boolean     NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS rollup_error_1h_tenant_bucket ON rollup_error_1h (tenant_id, bucket);
CREATE INDEX IF NOT EXISTS rollup_error_1h_fresh ON rollup_error_1h (tenant_id, bucket) WHERE NOT compacted;

CREATE TABLE IF NOT EXISTS rollup_error_1d (LIKE rollup_error_1h INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE INDEX IF NOT EXISTS rollup_error_1d_tenant_bucket ON rollup_error_1d (tenant_id, bucket);
CREATE INDEX IF NOT EXISTS rollup_error_1d_fresh ON rollup_error_1d (tenant_id, bucket) WHERE NOT compacted;
