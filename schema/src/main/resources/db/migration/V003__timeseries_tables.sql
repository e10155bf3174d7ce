-- Time-series tables. The runner keeps {{PARTITION BY ...}} on the partitioned layouts (plain
-- PostgreSQL and Citus: native daily range partitions) and removes it under TimescaleDB, where
-- V005__layout.timescale.sql turns the tables into hypertables. Indexes are few and narrow: every
-- index is paid for on every row written, and per-tool questions are answered from the rollups.

CREATE TABLE IF NOT EXISTS server_status_history (
    tenant_id       text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    server_name     text        NOT NULL,
    instance_id     text,
    status          text        NOT NULL CHECK (status IN ('connecting', 'connected', 'disconnected', 'failed')),
    detail          text
) {{PARTITION BY RANGE (occurred_at)}};
CREATE INDEX IF NOT EXISTS server_status_history_tenant_time ON server_status_history (tenant_id, server_name, occurred_at DESC);

CREATE SEQUENCE IF NOT EXISTS tool_executions_id_seq;
CREATE TABLE IF NOT EXISTS tool_executions (
    id              bigint      NOT NULL DEFAULT nextval('tool_executions_id_seq'),
    tenant_id       text        NOT NULL,
    instance_id     text,
    server_name     text        NOT NULL,
    tool_name       text        NOT NULL,
    started_at      timestamptz NOT NULL,
    duration_us     bigint      NOT NULL CHECK (duration_us >= 0),
    outcome         text        NOT NULL CHECK (outcome IN ('success', 'tool_error', 'protocol_error', 'exception', 'timeout', 'cancelled')),
    error_class     text,
    error_message   text,
    argument_bytes  integer,
    result_bytes    integer,
    session_id      text,
    request_id      text,
    arguments       text,
    result          text,
    -- downstream: the hub calling a server; served: a client calling the hub's own MCP endpoint
    side            text        NOT NULL DEFAULT 'downstream' CHECK (side IN ('downstream', 'served')),
    -- W3C trace context of the call (hex), linking it to the hub's trace
    trace_id        text,
    span_id         text
) {{PARTITION BY RANGE (started_at)}};
-- Listing newest first (keyset on started_at, id) and every window of raw rows.
CREATE INDEX IF NOT EXISTS tool_executions_tenant_time ON tool_executions (tenant_id, started_at DESC);
-- Failures are a small share of the rows: their index costs little and keeps "latest errors" cheap.
CREATE INDEX IF NOT EXISTS tool_executions_tenant_errors ON tool_executions (tenant_id, started_at DESC) WHERE outcome <> 'success';
-- The live stream polls "id > last seen AND id <= newest": ids grow in insertion order, so a BRIN index
-- answers from a few block ranges per partition, for a maintenance cost per row far below a b-tree's.
CREATE INDEX IF NOT EXISTS tool_executions_id_brin ON tool_executions USING brin (id) WITH (pages_per_range = 32, autosummarize = on);

-- Event ids only grow, so an SSE client resumes with id > Last-Event-ID.
CREATE SEQUENCE IF NOT EXISTS events_id_seq;
CREATE TABLE IF NOT EXISTS events (
    id              bigint      NOT NULL DEFAULT nextval('events_id_seq'),
    tenant_id       text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    instance_id     text,
    event_type      text        NOT NULL,
    server_name     text,
    payload         jsonb
) {{PARTITION BY RANGE (occurred_at)}};
CREATE INDEX IF NOT EXISTS events_tenant_id ON events (tenant_id, id);
CREATE INDEX IF NOT EXISTS events_tenant_time ON events (tenant_id, occurred_at DESC);

CREATE SEQUENCE IF NOT EXISTS logs_id_seq;
CREATE TABLE IF NOT EXISTS logs (
    id              bigint      NOT NULL DEFAULT nextval('logs_id_seq'),
    tenant_id       text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    instance_id     text,
    server_name     text,
    level           text        NOT NULL CHECK (level IN ('trace', 'debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency')),
    logger          text,
    message         text        NOT NULL,
    context         jsonb
) {{PARTITION BY RANGE (occurred_at)}};
CREATE INDEX IF NOT EXISTS logs_tenant_time ON logs (tenant_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS logs_tenant_id ON logs (tenant_id, id);

-- Never tokens, codes or secrets: only what a flow did and how it ended.
CREATE TABLE IF NOT EXISTS oauth_flows (
    tenant_id       text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    flow_id         text        NOT NULL,
    instance_id     text,
    server_name     text,
    grant_type      text        NOT NULL,
    phase           text        NOT NULL CHECK (phase IN ('start', 'callback', 'token', 'refresh')),
    outcome         text        NOT NULL CHECK (outcome IN ('pending', 'success', 'failure')),
    duration_us     bigint      CHECK (duration_us >= 0),
    error           text
) {{PARTITION BY RANGE (occurred_at)}};
CREATE INDEX IF NOT EXISTS oauth_flows_tenant_time ON oauth_flows (tenant_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS oauth_flows_tenant_flow ON oauth_flows (tenant_id, flow_id);

CREATE TABLE IF NOT EXISTS api_requests (
    tenant_id       text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    instance_id     text,
    method          text        NOT NULL,
    route           text        NOT NULL,
    status          integer     NOT NULL CHECK (status BETWEEN 100 AND 999),
    latency_us      bigint      NOT NULL CHECK (latency_us >= 0),
    request_bytes   bigint,
    response_bytes  bigint
) {{PARTITION BY RANGE (occurred_at)}};
CREATE INDEX IF NOT EXISTS api_requests_tenant_time ON api_requests (tenant_id, occurred_at DESC);

CREATE TABLE IF NOT EXISTS infra_metrics (
    tenant_id       text        NOT NULL,
    sampled_at      timestamptz NOT NULL,
    instance_id     text,
    scope           text        NOT NULL CHECK (scope IN ('jvm', 'process', 'system', 'container', 'agent')),
    metric          text        NOT NULL,
    value           double precision NOT NULL
) {{PARTITION BY RANGE (sampled_at)}};
CREATE INDEX IF NOT EXISTS infra_metrics_tenant_metric_time ON infra_metrics (tenant_id, metric, sampled_at DESC);

-- The time-series tables and their time columns, for maintenance.
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
