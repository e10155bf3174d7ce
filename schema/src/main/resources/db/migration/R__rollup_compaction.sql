-- Merges a tenant's tool, hourly tenant, hourly and daily API request and daily OAuth rollup increments (every layout has them) into one row per key (the rows of a key add up, so the result
-- reads the same), one tenant at a time: on Citus each statement then runs on that tenant's shard.
-- Safe beside writers and beside another compaction: rows are taken by DELETE ... RETURNING, so each
-- increment is merged once; increments written meanwhile wait for the next round.

CREATE OR REPLACE FUNCTION mcp_telemetry_compact_rollups(p_tenant text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_catalog, pg_temp AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['rollup_tool_1h', 'rollup_tool_1d'] LOOP
        EXECUTE format($q$
            WITH gone AS (
                DELETE FROM %1$I r USING (SELECT DISTINCT bucket, server_name, tool_name, side FROM %1$I
                                           WHERE tenant_id = $1 AND NOT compacted) f
                 WHERE r.tenant_id = $1 AND r.bucket = f.bucket AND r.server_name = f.server_name
                   AND r.tool_name = f.tool_name AND r.side = f.side
                RETURNING r.*),
            sums AS (SELECT bucket, server_name, tool_name, side, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
                            sum(total_duration_us)::bigint AS total, min(min_duration_us) AS lo, max(max_duration_us) AS hi,
                            max(last_called_at) AS last
                       FROM gone GROUP BY 1, 2, 3, 4),
            hist AS (SELECT bucket, server_name, tool_name, side, k, sum(c)::bigint AS c
                       FROM gone, unnest(latency_keys, latency_counts) AS u(k, c) GROUP BY 1, 2, 3, 4, 5),
            arrays AS (SELECT bucket, server_name, tool_name, side, array_agg(k ORDER BY k) AS ks,
                              array_agg(c ORDER BY k) AS cs
                         FROM hist GROUP BY 1, 2, 3, 4)
            INSERT INTO %1$I (tenant_id, bucket, server_name, tool_name, side, calls, errors, total_duration_us,
                              min_duration_us, max_duration_us, last_called_at, latency_keys, latency_counts, compacted)
            SELECT $1, s.bucket, s.server_name, s.tool_name, s.side, s.calls, s.errors, s.total, s.lo, s.hi, s.last,
                   coalesce(a.ks, '{}'), coalesce(a.cs, '{}'), true
              FROM sums s LEFT JOIN arrays a USING (bucket, server_name, tool_name, side)$q$, t) USING p_tenant;
    END LOOP;
    WITH gone AS (
        DELETE FROM rollup_tenant_1h r USING (SELECT DISTINCT bucket, side FROM rollup_tenant_1h
                                               WHERE tenant_id = p_tenant AND NOT compacted) f
         WHERE r.tenant_id = p_tenant AND r.bucket = f.bucket AND r.side = f.side
        RETURNING r.*),
    sums AS (SELECT bucket, side, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
                    sum(total_duration_us)::bigint AS total, max(max_duration_us) AS hi
               FROM gone GROUP BY 1, 2),
    hist AS (SELECT bucket, side, k, sum(c)::bigint AS c
               FROM gone, unnest(latency_keys, latency_counts) AS u(k, c) GROUP BY 1, 2, 3),
    arrays AS (SELECT bucket, side, array_agg(k ORDER BY k) AS ks, array_agg(c ORDER BY k) AS cs
                 FROM hist GROUP BY 1, 2)
    INSERT INTO rollup_tenant_1h (tenant_id, bucket, side, calls, errors, total_duration_us, max_duration_us,
                                  latency_keys, latency_counts, compacted)
    SELECT p_tenant, s.bucket, s.side, s.calls, s.errors, s.total, s.hi, coalesce(a.ks, '{}'), coalesce(a.cs, '{}'), true
      FROM sums s LEFT JOIN arrays a USING (bucket, side);
    -- the API requests' hours, and in the same statement their increments' sums per day (V013: a day holds
    -- its hours' compacted rows; those compacted before are in it already)
    WITH gone AS (
        DELETE FROM rollup_api_1h r USING (SELECT DISTINCT bucket FROM rollup_api_1h
                                            WHERE tenant_id = p_tenant AND NOT compacted) f
         WHERE r.tenant_id = p_tenant AND r.bucket = f.bucket
        RETURNING r.*),
    sums AS (SELECT bucket, sum(requests)::bigint AS requests, sum(server_errors)::bigint AS server_errors
               FROM gone GROUP BY 1),
    hist AS (SELECT bucket, k, sum(c)::bigint AS c FROM gone, unnest(latency_keys, latency_counts) AS u(k, c) GROUP BY 1, 2),
    arrays AS (SELECT bucket, array_agg(k ORDER BY k) AS ks, array_agg(c ORDER BY k) AS cs FROM hist GROUP BY 1),
    hours AS (
        INSERT INTO rollup_api_1h (tenant_id, bucket, requests, server_errors, latency_keys, latency_counts, compacted)
        SELECT p_tenant, s.bucket, s.requests, s.server_errors, coalesce(a.ks, '{}'), coalesce(a.cs, '{}'), true
          FROM sums s LEFT JOIN arrays a USING (bucket)),
    fresh AS (SELECT date_trunc('day', bucket, 'UTC') AS day, requests, server_errors, latency_keys, latency_counts
                FROM gone WHERE NOT compacted),
    day_sums AS (SELECT day, sum(requests)::bigint AS requests, sum(server_errors)::bigint AS server_errors
                   FROM fresh GROUP BY 1),
    day_hist AS (SELECT day, k, sum(c)::bigint AS c FROM fresh, unnest(latency_keys, latency_counts) AS u(k, c) GROUP BY 1, 2),
    day_arrays AS (SELECT day, array_agg(k ORDER BY k) AS ks, array_agg(c ORDER BY k) AS cs FROM day_hist GROUP BY 1)
    INSERT INTO rollup_api_1d (tenant_id, bucket, requests, server_errors, latency_keys, latency_counts, compacted)
    SELECT p_tenant, s.day, s.requests, s.server_errors, coalesce(a.ks, '{}'), coalesce(a.cs, '{}'), false
      FROM day_sums s LEFT JOIN day_arrays a USING (day);
    WITH gone AS (
        DELETE FROM rollup_api_1d r USING (SELECT DISTINCT bucket FROM rollup_api_1d
                                            WHERE tenant_id = p_tenant AND NOT compacted) f
         WHERE r.tenant_id = p_tenant AND r.bucket = f.bucket
        RETURNING r.*),
    sums AS (SELECT bucket, sum(requests)::bigint AS requests, sum(server_errors)::bigint AS server_errors
               FROM gone GROUP BY 1),
    hist AS (SELECT bucket, k, sum(c)::bigint AS c FROM gone, unnest(latency_keys, latency_counts) AS u(k, c) GROUP BY 1, 2),
    arrays AS (SELECT bucket, array_agg(k ORDER BY k) AS ks, array_agg(c ORDER BY k) AS cs FROM hist GROUP BY 1)
    INSERT INTO rollup_api_1d (tenant_id, bucket, requests, server_errors, latency_keys, latency_counts, compacted)
    SELECT p_tenant, s.bucket, s.requests, s.server_errors, coalesce(a.ks, '{}'), coalesce(a.cs, '{}'), true
      FROM sums s LEFT JOIN arrays a USING (bucket);
    -- the OAuth flow steps' days (V014): sums, and the union of the days' flow ids
    WITH gone AS (
        DELETE FROM rollup_oauth_1d r USING (SELECT DISTINCT bucket FROM rollup_oauth_1d
                                              WHERE tenant_id = p_tenant AND NOT compacted) f
         WHERE r.tenant_id = p_tenant AND r.bucket = f.bucket
        RETURNING r.*),
    sums AS (SELECT bucket, sum(steps)::bigint AS steps, sum(success)::bigint AS success, sum(failure)::bigint AS failure,
                    sum(pending)::bigint AS pending, sum(duration_us)::bigint AS duration_us, sum(durations)::bigint AS durations
               FROM gone GROUP BY 1),
    ids AS (SELECT bucket, array_agg(DISTINCT id COLLATE "C") AS ids FROM gone, unnest(flow_ids) AS u(id) GROUP BY 1)
    INSERT INTO rollup_oauth_1d (tenant_id, bucket, steps, success, failure, pending, duration_us, durations, flow_ids, compacted)
    SELECT p_tenant, s.bucket, s.steps, s.success, s.failure, s.pending, s.duration_us, s.durations, coalesce(i.ids, '{}'), true
      FROM sums s LEFT JOIN ids i USING (bucket);
END $$;
REVOKE ALL ON FUNCTION mcp_telemetry_compact_rollups(text) FROM PUBLIC;
