-- Tenant isolation is keyed to the database login, not to anything a session can set: every tenant has
-- its own login role "mcpt_<tenant>", member of the group role mcp_tenant, which holds the grants.
-- Policies compare tenant_id with mcp_telemetry_tenant(), derived from current_user, so a session of
-- tenant A can neither read nor write tenant B's rows by any SQL: it cannot become another tenant's
-- role (it is no member of it), and no setting it may change takes part. The API server, member of
-- every tenant role, reads a request as its tenant with SET LOCAL ROLE.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mcp_tenant') THEN
        CREATE ROLE mcp_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- roles are cluster-wide: another database's migration created it at the same moment
END $$;

-- The tenant of the current role: an inlinable expression, evaluated on every node (Citus workers
-- run shard queries as the same role) without a lookup. Tenant ids are at most 58 characters, so
-- that "mcpt_" || tenant fits PostgreSQL's 63-byte role names.
CREATE OR REPLACE FUNCTION mcp_telemetry_tenant() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN left(current_user::text, 5) = 'mcpt_' THEN substr(current_user::text, 6) END
$$;

-- Whether the current role is the schema owner (who ran this migration), which sees every tenant's
-- rows in the views as it does in the tables (an owner is not subject to row-level security). The
-- name is written into the function so that it stays an inlinable expression.
DO $$ BEGIN
    EXECUTE format('CREATE OR REPLACE FUNCTION mcp_telemetry_is_owner() RETURNS boolean '
                   'LANGUAGE sql STABLE PARALLEL SAFE AS %L', format('SELECT current_user = %L::name', current_user));
END $$;

-- Only the schema owner creates objects here; tenants create nothing but temporary staging tables.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO mcp_tenant;
DO $$ BEGIN
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO mcp_tenant', current_database());
END $$;
