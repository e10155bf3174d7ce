-- The telemetry HTTP API: per-tenant bearer tokens, stored as SHA-256 hashes only. The table belongs
-- to the schema owner; the API server (working as mcp_hub_app) can only ask which tenant a hash
-- belongs to, through a SECURITY DEFINER function, and never list or read the tokens.

CREATE TABLE IF NOT EXISTS api_tokens (
    token_id     text        PRIMARY KEY,          -- public part, shown by `token list`, used to revoke
    token_hash   bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    tenant_id    text        NOT NULL CHECK (length(tenant_id) BETWEEN 1 AND 128),
    label        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz
);
-- No policy and no grant: nobody but the owner (and the function below) reads it.
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
