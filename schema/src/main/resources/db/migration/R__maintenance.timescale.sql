-- The maintenance contract of every layout (see R__maintenance.plain.sql). Under TimescaleDB, chunks
-- are made by TimescaleDB and dropped by retention policies, which mcp_telemetry_maintain keeps at
-- the configured number of days.

CREATE OR REPLACE FUNCTION mcp_telemetry_maintain(p_retention_days integer, p_days_ahead integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog, pg_temp AS $$
DECLARE
    r        record;
    v_wanted interval := make_interval(days => p_retention_days);
BEGIN
    IF p_retention_days < 1 OR p_days_ahead < 0 THEN
        RAISE EXCEPTION 'retention days must be >= 1 and days ahead >= 0 (got %, %)', p_retention_days, p_days_ahead;
    END IF;
    FOR r IN SELECT format('mcp_store.%I', table_name) AS rel, v_wanted AS keep FROM telemetry_timeseries
             UNION ALL SELECT 'mcp_store.cagg_tenant_1m', v_wanted
             UNION ALL SELECT 'mcp_store.cagg_error_1h', v_wanted
             UNION ALL SELECT 'mcp_store.cagg_error_1d', greatest(v_wanted, interval '400 days') LOOP
        IF NOT EXISTS (SELECT 1 FROM timescaledb_information.jobs j
                        WHERE j.proc_name = 'policy_retention'
                          AND j.hypertable_schema || '.' || j.hypertable_name = r.rel
                          AND (j.config ->> 'drop_after')::interval = r.keep) THEN
            PERFORM public.remove_retention_policy(r.rel::regclass, if_exists => true);
            PERFORM public.add_retention_policy(r.rel::regclass, drop_after => r.keep);
        END IF;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION mcp_telemetry_compact(p_retention_days integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET timezone = 'UTC' SET search_path = public, pg_catalog, pg_temp AS $$
DECLARE
    v_today timestamp := date_trunc('day', now() AT TIME ZONE 'UTC');
    t       text;
BEGIN
    FOR t IN SELECT tenant_id FROM tenants ORDER BY tenant_id LOOP
        PERFORM mcp_telemetry_compact_rollups(t);
    END LOOP;
    DELETE FROM rollup_tool_1h WHERE bucket < (v_today - make_interval(days => p_retention_days)) AT TIME ZONE 'UTC';
    DELETE FROM rollup_tenant_1h WHERE bucket < (v_today - make_interval(days => p_retention_days)) AT TIME ZONE 'UTC';
    DELETE FROM rollup_tool_1d
     WHERE bucket < (v_today - make_interval(days => greatest(p_retention_days, 400))) AT TIME ZONE 'UTC';
    DELETE FROM rollup_tool_digest_1h WHERE bucket < (v_today - make_interval(days => p_retention_days)) AT TIME ZONE 'UTC';
    DELETE FROM rollup_api_1h WHERE bucket < (v_today - make_interval(days => p_retention_days)) AT TIME ZONE 'UTC';
    DELETE FROM rollup_api_1d
     WHERE bucket < (v_today - make_interval(days => greatest(p_retention_days, 400))) AT TIME ZONE 'UTC';
    DELETE FROM rollup_oauth_1d
     WHERE bucket < (v_today - make_interval(days => greatest(p_retention_days, 400))) AT TIME ZONE 'UTC';
    DELETE FROM rollup_tool_digest_1d
     WHERE bucket < (v_today - make_interval(days => greatest(p_retention_days, 400))) AT TIME ZONE 'UTC';
    -- a week goes once all its days have (a reader of a whole week reads it instead of its days)
    DELETE FROM rollup_tool_digest_1w
     WHERE bucket <= (v_today - make_interval(days => greatest(p_retention_days, 400) + 7)) AT TIME ZONE 'UTC';
    DELETE FROM ingest_batches WHERE committed_at < now() - interval '7 days';
END $$;

REVOKE ALL ON FUNCTION mcp_telemetry_maintain(integer, integer), mcp_telemetry_compact(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mcp_telemetry_maintain(integer, integer), mcp_telemetry_compact(integer) TO mcp_tenant;

SELECT mcp_telemetry_maintain(30, 3);
