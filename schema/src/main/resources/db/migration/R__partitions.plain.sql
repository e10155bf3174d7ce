-- Daily partitions of the partitioned layouts (plain PostgreSQL and Citus, where partitions of a
-- distributed table are distributed with it): made ahead, and dropped past retention.

CREATE OR REPLACE FUNCTION mcp_telemetry_ensure_partition(p_table text, p_day date) RETURNS boolean
LANGUAGE plpgsql SET timezone = 'UTC' SET search_path = public, pg_catalog, pg_temp AS $$
DECLARE
    v_part    text := format('%s_p%s', p_table, to_char(p_day, 'YYYYMMDD'));
    v_default text := p_table || '_default';
    v_from    timestamptz := p_day::timestamp AT TIME ZONE 'UTC';
    v_to      timestamptz := (p_day + 1)::timestamp AT TIME ZONE 'UTC';
    v_col     text;
    v_stray   boolean;
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
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= $1 AND %I < $2)', v_default, v_col, v_col)
        INTO v_stray USING v_from, v_to;
    IF v_stray THEN
        -- A new partition may not overlap rows already in the default one: move them in.
        EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', p_table, v_default);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', v_part, p_table, v_from, v_to);
        EXECUTE format('INSERT INTO %I SELECT * FROM %I WHERE %I >= $1 AND %I < $2', v_part, v_default, v_col, v_col)
            USING v_from, v_to;
        EXECUTE format('DELETE FROM %I WHERE %I >= $1 AND %I < $2', v_default, v_col, v_col) USING v_from, v_to;
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I DEFAULT', p_table, v_default);
    ELSE
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', v_part, p_table, v_from, v_to);
    END IF;
    RETURN true;
END $$;

CREATE OR REPLACE FUNCTION mcp_telemetry_drop_partitions_before(p_table text, p_cutoff date) RETURNS integer
LANGUAGE plpgsql SET timezone = 'UTC' SET search_path = public, pg_catalog, pg_temp AS $$
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

REVOKE ALL ON FUNCTION mcp_telemetry_ensure_partition(text, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION mcp_telemetry_drop_partitions_before(text, date) FROM PUBLIC;
