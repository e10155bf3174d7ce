-- Plain PostgreSQL layout: daily range partitions created ahead, old ones dropped, and rollup
-- tables refreshed by the sink for the time ranges it wrote. TimescaleDB gets the same functions
-- and views from V003__timeseries_layout.timescale.sql, so nothing above the schema can tell.

CREATE TABLE IF NOT EXISTS telemetry_timeseries (
    table_name  text PRIMARY KEY,
    time_column text NOT NULL
);
INSERT INTO telemetry_timeseries (table_name, time_column) VALUES
    ('server_status_history', 'occurred_at'),
    ('tool_executions',       'started_at'),
    ('events',                'occurred_at'),
    ('logs',                  'occurred_at'),
    ('oauth_flows',           'occurred_at'),
    ('api_requests',          'occurred_at'),
    ('infra_metrics',         'sampled_at')
ON CONFLICT (table_name) DO NOTHING;

-- Rows outside every daily partition (clock skew, late backlog) land here instead of failing a batch.
CREATE TABLE IF NOT EXISTS server_status_history_default PARTITION OF server_status_history DEFAULT;
CREATE TABLE IF NOT EXISTS tool_executions_default       PARTITION OF tool_executions DEFAULT;
CREATE TABLE IF NOT EXISTS events_default                PARTITION OF events DEFAULT;
CREATE TABLE IF NOT EXISTS logs_default                  PARTITION OF logs DEFAULT;
CREATE TABLE IF NOT EXISTS oauth_flows_default           PARTITION OF oauth_flows DEFAULT;
CREATE TABLE IF NOT EXISTS api_requests_default          PARTITION OF api_requests DEFAULT;
CREATE TABLE IF NOT EXISTS infra_metrics_default         PARTITION OF infra_metrics DEFAULT;

CREATE OR REPLACE FUNCTION mcp_telemetry_ensure_partition(p_table text, p_day date) RETURNS boolean
LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
    v_part text := format('%s_p%s', p_table, to_char(p_day, 'YYYYMMDD'));
    v_from timestamptz := p_day::timestamp AT TIME ZONE 'UTC';
    v_to   timestamptz := (p_day + 1)::timestamp AT TIME ZONE 'UTC';
    v_col  text;
    v_stray boolean;
BEGIN
    IF to_regclass(v_part) IS NOT NULL THEN
        RETURN false;
    END IF;
    -- Two hubs may start together; the second waits here and then finds the partition made.
    PERFORM pg_advisory_xact_lock(hashtext('mcp_telemetry_partitions'));
    IF to_regclass(v_part) IS NOT NULL THEN
        RETURN false;
    END IF;
    SELECT time_column INTO STRICT v_col FROM telemetry_timeseries WHERE table_name = p_table;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= $1 AND %I < $2)', p_table || '_default', v_col, v_col)
        INTO v_stray USING v_from, v_to;
    IF v_stray THEN
        -- A new partition may not overlap rows already in the default one: move them in first.
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_part, p_table);
        EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
                       p_table || '_default', v_col, v_col, v_part) USING v_from, v_to;
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', p_table, v_part, v_from, v_to);
    ELSE
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', v_part, p_table, v_from, v_to);
    END IF;
    RETURN true;
END $$;

CREATE OR REPLACE FUNCTION mcp_telemetry_drop_partitions_before(p_table text, p_cutoff date) RETURNS integer
LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
    v_col     text;
    v_dropped integer := 0;
    r         record;
BEGIN
    SELECT time_column INTO STRICT v_col FROM telemetry_timeseries WHERE table_name = p_table;
    FOR r IN
        SELECT c.relname
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = p_table::regclass
           AND c.relname ~ ('^' || p_table || '_p[0-9]{8}$')
    LOOP
        IF to_date(right(r.relname, 8), 'YYYYMMDD') < p_cutoff THEN
            EXECUTE format('DROP TABLE %I', r.relname);
            v_dropped := v_dropped + 1;
        END IF;
    END LOOP;
    EXECUTE format('DELETE FROM %I WHERE %I < $1', p_table || '_default', v_col)
        USING p_cutoff::timestamp AT TIME ZONE 'UTC';
    RETURN v_dropped;
END $$;

CREATE TABLE IF NOT EXISTS tool_stats_1m_rollup (
    tenant_id         text        NOT NULL,
    bucket            timestamptz NOT NULL,
    server_name       text        NOT NULL,
    tool_name         text        NOT NULL,
    calls             bigint      NOT NULL,
    errors            bigint      NOT NULL,
    total_duration_us bigint      NOT NULL,
    min_duration_us   bigint      NOT NULL,
    max_duration_us   bigint      NOT NULL,
    PRIMARY KEY (tenant_id, bucket, server_name, tool_name)
);
CREATE TABLE IF NOT EXISTS tool_stats_1h_rollup (LIKE tool_stats_1m_rollup INCLUDING ALL);

-- Recomputes (never increments) the buckets touching [p_from, p_to], so running it twice or from two
-- hubs at once gives the same rows.
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
     WHERE started_at >= v_from AND started_at < v_to
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

-- Creates tomorrow's partitions ahead and applies retention; called at startup and periodically.
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

SELECT mcp_telemetry_maintain(30, 3);

CREATE OR REPLACE VIEW tool_stats_1m WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, calls, errors, total_duration_us, min_duration_us, max_duration_us
      FROM tool_stats_1m_rollup
     WHERE tenant_id = current_setting('mcp.tenant_id', true);

CREATE OR REPLACE VIEW tool_stats_1h WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, calls, errors, total_duration_us, min_duration_us, max_duration_us
      FROM tool_stats_1h_rollup
     WHERE tenant_id = current_setting('mcp.tenant_id', true);

REVOKE ALL ON FUNCTION mcp_telemetry_ensure_partition(text, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION mcp_telemetry_drop_partitions_before(text, date) FROM PUBLIC;
