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

CREATE OR REPLACE FUNCTION mcp_telemetry_resolve_token(p_hash bytea) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT tenant_id FROM public.api_tokens
     WHERE token_hash = p_hash AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
$$;
REVOKE ALL ON FUNCTION mcp_telemetry_resolve_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mcp_telemetry_resolve_token(bytea) TO mcp_hub_app;

-- The live stream reads how far each id sequence has gone (see the API server's README section).
GRANT SELECT ON SEQUENCE tool_executions_id_seq, events_id_seq, logs_id_seq TO mcp_hub_app;
