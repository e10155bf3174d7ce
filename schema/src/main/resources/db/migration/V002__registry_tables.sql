-- Registry tables: small, upserted, keyed by tenant (every key starts with tenant_id, so Citus can
-- distribute them by it). Time-series tables come in V003.

CREATE TABLE IF NOT EXISTS tenants (
    tenant_id    text        PRIMARY KEY CHECK (length(tenant_id) BETWEEN 1 AND 58),
    display_name text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS hub_instances (
    tenant_id      text        NOT NULL,
    instance_id    text        NOT NULL,
    hub_name       text        NOT NULL,
    hub_version    text,
    host           text,
    port           integer,
    pid            bigint,
    jvm_version    text,
    agent_version  text,
    started_at     timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    stopped_at     timestamptz,
    metadata       jsonb,
    PRIMARY KEY (tenant_id, instance_id)
);

CREATE TABLE IF NOT EXISTS mcp_servers (
    tenant_id            text        NOT NULL,
    server_name          text        NOT NULL,
    instance_id          text,
    transport            text        NOT NULL CHECK (transport IN ('stdio', 'sse', 'streamable-http', 'unknown')),
    endpoint             text,
    status               text        NOT NULL CHECK (status IN ('connecting', 'connected', 'disconnected', 'failed')),
    server_version       text,
    protocol_version     text,
    capabilities         jsonb,
    last_error           text,
    first_seen_at        timestamptz NOT NULL,
    last_connected_at    timestamptz,
    last_disconnected_at timestamptz,
    -- set while connected, cleared on disconnect: uptime of the current connection is now() - connected_since
    connected_since      timestamptz,
    updated_at           timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, server_name)
);

CREATE TABLE IF NOT EXISTS tools (
    tenant_id     text        NOT NULL,
    server_name   text        NOT NULL,
    tool_name     text        NOT NULL,
    title         text,
    description   text,
    input_schema  jsonb,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    removed_at    timestamptz,
    PRIMARY KEY (tenant_id, server_name, tool_name)
);

CREATE TABLE IF NOT EXISTS resources (
    tenant_id     text        NOT NULL,
    server_name   text        NOT NULL,
    uri           text        NOT NULL,
    resource_name text,
    description   text,
    mime_type     text,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    removed_at    timestamptz,
    PRIMARY KEY (tenant_id, server_name, uri)
);

CREATE TABLE IF NOT EXISTS prompts (
    tenant_id     text        NOT NULL,
    server_name   text        NOT NULL,
    prompt_name   text        NOT NULL,
    description   text,
    arguments     jsonb,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    removed_at    timestamptz,
    PRIMARY KEY (tenant_id, server_name, prompt_name)
);

-- One row per committed sink batch: a batch retried after an unknown commit outcome is skipped,
-- so every record (and every rollup increment) is stored exactly once.
CREATE TABLE IF NOT EXISTS ingest_batches (
    tenant_id    text        NOT NULL,
    batch_id     uuid        NOT NULL,
    row_count    integer     NOT NULL,
    committed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, batch_id)
);
CREATE INDEX IF NOT EXISTS ingest_batches_committed_at ON ingest_batches (committed_at);

-- API tokens, stored as SHA-256 hashes only. Global (not a tenant's): read by the owner alone, and by
-- the API server through mcp_telemetry_resolve_token (R__api_tokens.sql).
CREATE TABLE IF NOT EXISTS api_tokens (
    token_id     text        PRIMARY KEY,          -- public part, shown by `token list`, used to revoke
    token_hash   bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    tenant_id    text        NOT NULL CHECK (length(tenant_id) BETWEEN 1 AND 58),
    label        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz
);
-- No policy and no grant: nobody but the owner (and the function) reads it.
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
