-- The maintenance contract of every layout, called by the sink (as the owner, or as a tenant login:
-- these run with the owner's rights and touch no tenant's rows but to merge or expire them):
-- mcp_telemetry_maintain makes partitions ahead and applies retention (DDL), mcp_telemetry_compact
-- merges rollup increments and expires old ones (DML). They are separate calls because Citus refuses
-- DDL in a transaction that has read distributed tables over several connections.

CREATE OR REPLACE FUNCTION mcp_telemetry_maintain(p_retention_days integer, p_days_ahead integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET timezone = 'UTC' SET search_path = public, pg_catalog, pg_temp AS $$
DECLARE
    v_today date := (now() AT TIME ZONE 'UTC')::date;
    r       record;
    d       integer;
BEGIN
    IF p_retention_days < 1 OR p_days_ahead < 0 THEN
        RAISE EXCEPTION 'retention days must be >= 1 and days ahead >= 0 (got %, %)', p_retention_days, p_days_ahead;
    END IF;
    FOR r IN SELECT table_name FROM telemetry_timeseries ORDER BY table_name LOOP
        FOR d IN -1 .. p_days_ahead LOOP
            PERFORM mcp_telemetry_ensure_partition(r.table_name, v_today + d);
        END LOOP;
        PERFORM mcp_telemetry_drop_partitions_before(r.table_name, v_today - p_retention_days);
    END LOOP;
END $$;

-- The partitioned layouts' tenant and error rollups (TimescaleDB has continuous aggregates instead).
CREATE OR REPLACE FUNCTION mcp_telemetry_compact_tenant_rollups(p_tenant text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_catalog, pg_temp AS $$
DECLARE
    t text;
BEGIN
    WITH gone AS (
        DELETE FROM rollup_tenant_1m r USING (SELECT DISTINCT bucket, side FROM rollup_tenant_1m
                                               WHERE tenant_id = p_tenant AND NOT compacted) f
         WHERE r.tenant_id = p_tenant AND r.bucket = f.bucket AND r.side = f.side
        RETURNING r.*)
    INSERT INTO rollup_tenant_1m (tenant_id, bucket, side, calls, errors, total_duration_us, max_duration_us, compacted)
    SELECT p_tenant, bucket, side, sum(calls), sum(errors), sum(total_duration_us), max(max_duration_us), true
      FROM gone GROUP BY bucket, side;
    FOREACH t IN ARRAY ARRAY['rollup_error_1h', 'rollup_error_1d'] LOOP
        EXECUTE format($q$
            WITH gone AS (
                DELETE FROM %1$I r USING (SELECT DISTINCT bucket, server_name, tool_name, side, error_class, outcome
                                           FROM %1$I WHERE tenant_id = $1 AND NOT compacted) f
                 WHERE r.tenant_id = $1 AND r.bucket = f.bucket AND r.server_name = f.server_name
                   AND r.tool_name = f.tool_name AND r.side = f.side AND r.error_class = f.error_class
                   AND r.outcome = f.outcome
                RETURNING r.*)
            INSERT INTO %1$I (tenant_id, bucket, server_name, tool_name, side, error_class, outcome, errors,
                              last_seen_at, last_message, compacted)
            SELECT $1, bucket, server_name, tool_name, side, error_class, outcome, sum(errors), max(last_seen_at),
                   (array_agg(last_message ORDER BY last_seen_at DESC))[1], true
              FROM gone GROUP BY bucket, server_name, tool_name, side, error_class, outcome$q$, t) USING p_tenant;
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION mcp_telemetry_compact_tenant_rollups(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION mcp_telemetry_compact(p_retention_days integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET timezone = 'UTC' SET search_path = public, pg_catalog, pg_temp AS $$
DECLARE
    -- timestamptz bounds: comparing with a date would be a STABLE cast per row, which Citus refuses in DML
    v_today  timestamp := date_trunc('day', now() AT TIME ZONE 'UTC');
    v_recent timestamptz := (v_today - make_interval(days => p_retention_days)) AT TIME ZONE 'UTC';
    v_daily  timestamptz := (v_today - make_interval(days => greatest(p_retention_days, 400))) AT TIME ZONE 'UTC';
    -- a week goes once all its days have (a reader of a whole week reads it instead of its days)
    v_weekly timestamptz := v_daily - interval '7 days';
    v_batch  timestamptz := now() - interval '7 days';
    t        text;
BEGIN
    FOR t IN SELECT tenant_id FROM tenants ORDER BY tenant_id LOOP
        PERFORM mcp_telemetry_compact_rollups(t);
        PERFORM mcp_telemetry_compact_tenant_rollups(t);
    END LOOP;
    DELETE FROM rollup_tenant_1m WHERE bucket < v_recent;
    DELETE FROM rollup_tool_1h WHERE bucket < v_recent;
    DELETE FROM rollup_tenant_1h WHERE bucket < v_recent;
    DELETE FROM rollup_error_1h WHERE bucket < v_recent;
    DELETE FROM rollup_tool_1d WHERE bucket < v_daily;
    DELETE FROM rollup_tool_digest_1h WHERE bucket < v_recent;
    DELETE FROM rollup_api_1h WHERE bucket < v_recent;
    DELETE FROM rollup_api_1d WHERE bucket < v_daily;
    DELETE FROM rollup_oauth_1d WHERE bucket < v_daily;
    DELETE FROM rollup_tool_digest_1d WHERE bucket < v_daily;
    DELETE FROM rollup_tool_digest_1w WHERE bucket <= v_weekly;
    DELETE FROM rollup_error_1d WHERE bucket < v_daily;
    DELETE FROM ingest_batches WHERE committed_at < v_batch;
END $$;

REVOKE ALL ON FUNCTION mcp_telemetry_maintain(integer, integer), mcp_telemetry_compact(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mcp_telemetry_maintain(integer, integer), mcp_telemetry_compact(integer) TO mcp_tenant;

-- Partitions for the coming days right away (a hub does this at every start and hourly too).
SELECT mcp_telemetry_maintain(30, 3);
