-- The only way the API server (as mcp_hub_app) reads api_tokens: which tenant a token hash belongs to.
CREATE OR REPLACE FUNCTION mcp_telemetry_resolve_token(p_hash bytea) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT tenant_id FROM public.api_tokens
     WHERE token_hash = p_hash AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
$$;
REVOKE ALL ON FUNCTION mcp_telemetry_resolve_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mcp_telemetry_resolve_token(bytea) TO mcp_hub_app;
