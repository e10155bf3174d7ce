-- Tool calls served by the hub to its own clients are recorded beside the downstream calls they
-- cause; per-server statistics stay about downstream servers.
ALTER TABLE tool_executions ADD COLUMN IF NOT EXISTS side text NOT NULL DEFAULT 'downstream'
    CHECK (side IN ('downstream', 'served'));

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
REVOKE ALL ON FUNCTION mcp_telemetry_refresh_rollups(timestamptz, timestamptz) FROM PUBLIC;
