-- For people in psql. The schema owner sees every tenant's rows at once, and a login that is neither
-- the owner nor a tenant's (another superuser, say) sees none in the views, which filter by the
-- current role, never by a setting. SELECT mcp_use_tenant('acme') makes the session tenant acme's
-- login (SET ROLE mcpt_acme), so tables and views show what that tenant's hub and API see, through the
-- same row-level security; mcp_use_tenant(NULL) goes back (RESET ROLE). It is SET ROLE by another
-- name and gives nobody more: the session's login must be a member of the tenant's role, as the
-- owner is and another tenant's login is not. Not SECURITY DEFINER: SET ROLE is refused there.

CREATE OR REPLACE FUNCTION mcp_use_tenant(p_tenant text) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF p_tenant IS NULL THEN
        RESET ROLE;
        RETURN NULL;
    END IF;
    IF p_tenant !~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,57}$' THEN
        RAISE EXCEPTION 'mcp_use_tenant: ''%'' is not a tenant id (1-58 letters, digits, ".", "_", ":", "-")', p_tenant
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'mcpt_' || p_tenant) THEN
        RAISE EXCEPTION 'mcp_use_tenant: tenant ''%'' has no login here (role mcpt_% is made when its hub first connects, or by setup-db)',
            p_tenant, p_tenant USING ERRCODE = 'undefined_object';
    END IF;
    BEGIN
        EXECUTE format('SET ROLE %I', 'mcpt_' || p_tenant);
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'mcp_use_tenant: login % may not act as tenant ''%'' (it is no member of role mcpt_%)',
            session_user, p_tenant, p_tenant USING ERRCODE = 'insufficient_privilege';
    END;
    RETURN p_tenant;
END $$;
