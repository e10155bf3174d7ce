-- TimescaleDB layout. Row-level security cannot protect a hypertable: TimescaleDB refuses it beside
-- columnstore and continuous aggregates, and a hypertable's chunks are readable tables of their own
-- that copy its grants. So the time-series hypertables live in schema mcp_store, which tenants cannot
-- use, and tenants reach them only through views of the same names in public that show and accept
-- the rows of their own tenant (security_barrier, WITH CHECK OPTION), owned by the schema owner, who
-- sees every row there as it does through row-level security elsewhere.
-- Tenant and error statistics are continuous aggregates (real-time: materialized rows plus the rows
-- newer than the last refresh), behind views of the same names and columns as the plain layout's.

CREATE SCHEMA IF NOT EXISTS mcp_store;
REVOKE ALL ON SCHEMA mcp_store FROM PUBLIC;

DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT table_name, time_column FROM telemetry_timeseries ORDER BY table_name LOOP
        EXECUTE format('ALTER TABLE public.%I SET SCHEMA mcp_store', r.table_name);
        -- The (tenant_id, time) indexes of V003 serve every query; TimescaleDB's own time index would
        -- only cost writes.
        PERFORM public.create_hypertable(format('mcp_store.%I', r.table_name)::regclass,
                public.by_range(r.time_column::name, interval '1 day'), create_default_indexes => false);
    END LOOP;
END $$;

CREATE MATERIALIZED VIEW IF NOT EXISTS mcp_store.cagg_tenant_1m
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT tenant_id, public.time_bucket(interval '1 minute', started_at) AS bucket, side,
           count(*) AS calls, count(*) FILTER (WHERE outcome <> 'success') AS errors,
           sum(duration_us)::bigint AS total_duration_us, max(duration_us) AS max_duration_us
      FROM mcp_store.tool_executions
     GROUP BY 1, 2, 3
WITH NO DATA;

CREATE MATERIALIZED VIEW IF NOT EXISTS mcp_store.cagg_error_1h
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT tenant_id, public.time_bucket(interval '1 hour', started_at) AS bucket, server_name, tool_name, side,
           coalesce(error_class, outcome) AS error_class, outcome, count(*) AS errors,
           max(started_at) AS last_seen_at, public.last(error_message, started_at) AS last_message
      FROM mcp_store.tool_executions
     WHERE outcome <> 'success'
     GROUP BY 1, 2, 3, 4, 5, 6, 7
WITH NO DATA;

CREATE MATERIALIZED VIEW IF NOT EXISTS mcp_store.cagg_error_1d
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT tenant_id, public.time_bucket(interval '1 day', bucket) AS bucket, server_name, tool_name, side,
           error_class, outcome, sum(errors)::bigint AS errors, max(last_seen_at) AS last_seen_at,
           public.last(last_message, last_seen_at) AS last_message
      FROM mcp_store.cagg_error_1h
     GROUP BY 1, 2, 3, 4, 5, 6, 7
WITH NO DATA;

-- The tenant's surface: one view per time-series table, in public, under the table's own name.
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT table_name FROM telemetry_timeseries ORDER BY table_name LOOP
        EXECUTE format('CREATE OR REPLACE VIEW public.%I WITH (security_barrier = true) AS '
                       'SELECT * FROM mcp_store.%I WHERE (tenant_id = mcp_telemetry_tenant() OR mcp_telemetry_is_owner()) '
                       'WITH CASCADED CHECK OPTION',
                       r.table_name, r.table_name);
        EXECUTE format('GRANT SELECT, INSERT ON public.%I TO mcp_tenant', r.table_name);
    END LOOP;
END $$;
-- A view has no column defaults of its own.
ALTER VIEW public.tool_executions ALTER COLUMN id SET DEFAULT nextval('tool_executions_id_seq');
ALTER VIEW public.tool_executions ALTER COLUMN side SET DEFAULT 'downstream';
ALTER VIEW public.events ALTER COLUMN id SET DEFAULT nextval('events_id_seq');
ALTER VIEW public.logs ALTER COLUMN id SET DEFAULT nextval('logs_id_seq');

-- What tenants could still learn of other tenants' volume through TimescaleDB's own functions.
REVOKE EXECUTE ON FUNCTION public.hypertable_size(regclass), public.hypertable_detailed_size(regclass),
    public.approximate_row_count(regclass), public.chunks_detailed_size(regclass) FROM PUBLIC;

-- Columnstore once chunks are two days old (the queries of recent windows read row chunks), segmented
-- by tenant so a tenant's query reads its own segments. Policies come last: their first run may start
-- at once. Retention is set by mcp_telemetry_maintain.
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT table_name, time_column FROM telemetry_timeseries ORDER BY table_name LOOP
        EXECUTE format('ALTER TABLE mcp_store.%I SET (timescaledb.enable_columnstore = true, '
                       'timescaledb.segmentby = %L, timescaledb.orderby = %L)', r.table_name, 'tenant_id',
                       r.time_column || ' DESC');
        CALL public.add_columnstore_policy(format('mcp_store.%I', r.table_name)::regclass, after => interval '2 days',
                                           if_not_exists => true);
    END LOOP;
END $$;
SELECT public.add_continuous_aggregate_policy('mcp_store.cagg_tenant_1m', start_offset => interval '3 hours',
       end_offset => interval '1 minute', schedule_interval => interval '1 minute', if_not_exists => true);
SELECT public.add_continuous_aggregate_policy('mcp_store.cagg_error_1h', start_offset => interval '3 days',
       end_offset => interval '1 hour', schedule_interval => interval '10 minutes', if_not_exists => true);
SELECT public.add_continuous_aggregate_policy('mcp_store.cagg_error_1d', start_offset => interval '30 days',
       end_offset => interval '1 day', schedule_interval => interval '1 hour', if_not_exists => true);
