-- Policies do the work under TimescaleDB; these keep the maintenance contract of the plain layout.

CREATE OR REPLACE FUNCTION mcp_telemetry_refresh_rollups(p_from timestamptz, p_to timestamptz) RETURNS void
LANGUAGE plpgsql AS $$ BEGIN
    -- Real-time aggregation covers data newer than the last policy run.
    RETURN;
END $$;

CREATE OR REPLACE FUNCTION mcp_telemetry_maintain(p_retention_days integer, p_days_ahead integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
    IF p_retention_days < 1 OR p_days_ahead < 0 THEN
        RAISE EXCEPTION 'retention days must be >= 1 and days ahead >= 0 (got %, %)', p_retention_days, p_days_ahead;
    END IF;
    FOR r IN SELECT table_name FROM telemetry_timeseries LOOP
        PERFORM remove_retention_policy(r.table_name::regclass, if_exists => true);
        PERFORM add_retention_policy(r.table_name::regclass, make_interval(days => p_retention_days));
    END LOOP;
    DELETE FROM ingest_batches WHERE committed_at < now() - interval '7 days';
END $$;

REVOKE ALL ON FUNCTION mcp_telemetry_maintain(integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION mcp_telemetry_refresh_rollups(timestamptz, timestamptz) FROM PUBLIC;
