-- The maintenance contract both layouts offer: mcp_telemetry_maintain (partitions ahead, retention)
-- and mcp_telemetry_refresh_rollups (rollups of a written time range).

-- Recomputes (never increments) the buckets touching [p_from, p_to], so running it twice or from two
-- hubs at once gives the same rows. Per-server statistics are about downstream servers only.
CREATE OR REPLACE FUNCTION mcp_telemetry_refresh_rollups(p_from timestamptz, p_to timestamptz) RETURNS void
LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
    v_from timestamptz := date_trunc('minute', p_from);
    v_to   timestamptz := date_trunc('minute', p_to) + interval '1 minute';
BEGIN
    INSERT INTO tool_stats_1m_rollup AS r
           (tenant_id, bucket, server_name, tool_name, calls, errors, total_duration_us, min_duration_us, max_duration_us)
    SELECT tenant_id, date_trunc('minute', started_at), server_name, tool_name,
           count(*), count(*) FILTER (WHERE outcome <> 'success'),
           sum(duration_us), min(duration_us), max(duration_us)
      FROM tool_executions
     WHERE started_at >= v_from AND started_at < v_to AND side = 'downstream'
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (tenant_id, bucket, server_name, tool_name) DO UPDATE
       SET calls = EXCLUDED.calls, errors = EXCLUDED.errors, total_duration_us = EXCLUDED.total_duration_us,
           min_duration_us = EXCLUDED.min_duration_us, max_duration_us = EXCLUDED.max_duration_us;

    INSERT INTO tool_stats_1h_rollup AS r
           (tenant_id, bucket, server_name, tool_name, calls, errors, total_duration_us, min_duration_us, max_duration_us)
    SELECT tenant_id, date_trunc('hour', bucket), server_name, tool_name,
           sum(calls), sum(errors), sum(total_duration_us), min(min_duration_us), max(max_duration_us)
      FROM tool_stats_1m_rollup
     WHERE bucket >= date_trunc('hour', v_from) AND bucket < date_trunc('hour', v_to) + interval '1 hour'
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (tenant_id, bucket, server_name, tool_name) DO UPDATE
       SET calls = EXCLUDED.calls, errors = EXCLUDED.errors, total_duration_us = EXCLUDED.total_duration_us,
           min_duration_us = EXCLUDED.min_duration_us, max_duration_us = EXCLUDED.max_duration_us;
END $$;

-- Creates the coming days' partitions and applies retention; called at startup and periodically.
CREATE OR REPLACE FUNCTION mcp_telemetry_maintain(p_retention_days integer, p_days_ahead integer) RETURNS void
LANGUAGE plpgsql SET timezone = 'UTC' AS $$
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
    DELETE FROM tool_stats_1m_rollup WHERE bucket < v_today - p_retention_days;
    DELETE FROM tool_stats_1h_rollup WHERE bucket < v_today - greatest(p_retention_days, 400);
    DELETE FROM ingest_batches WHERE committed_at < now() - interval '7 days';
END $$;

REVOKE ALL ON FUNCTION mcp_telemetry_maintain(integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION mcp_telemetry_refresh_rollups(timestamptz, timestamptz) FROM PUBLIC;

-- Partitions for the coming days right away (a hub does this at every start and hourly too).
SELECT mcp_telemetry_maintain(30, 3);
