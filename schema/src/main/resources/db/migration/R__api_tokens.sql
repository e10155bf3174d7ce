-- Which tenant an API token belongs to, by the SHA-256 hash of its text: the only way api_tokens is
-- read outside the token command (the API server asks as itself, before it takes the tenant's role).
CREATE OR REPLACE FUNCTION mcp_telemetry_resolve_token(p_hash bytea) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT tenant_id FROM public.api_tokens
     WHERE token_hash = p_hash AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
$$;
REVOKE ALL ON FUNCTION mcp_telemetry_resolve_token(bytea) FROM PUBLIC;
