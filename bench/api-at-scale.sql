-- Benchmark 4 data: :rows tool executions over the last :days days for 3 tenants, each with 50 servers
-- of 10 tools (500 tools), written the way the sink leaves them (daily partitions, rollups refreshed),
-- plus API requests and OAuth flows so every part of the dashboard has data. Run as the database owner.
\set ON_ERROR_STOP on
SET timezone = 'UTC';

SELECT count(*) AS partitions_made
  FROM telemetry_timeseries t,
       generate_series((now() AT TIME ZONE 'UTC')::date - :days, (now() AT TIME ZONE 'UTC')::date + 1, interval '1 day') AS d
 WHERE mcp_telemetry_ensure_partition(t.table_name, d::date);

INSERT INTO tenants (tenant_id, display_name)
SELECT 'tenant-' || t, 'Benchmark tenant ' || t FROM generate_series(1, 3) t
ON CONFLICT DO NOTHING;

INSERT INTO hub_instances (tenant_id, instance_id, hub_name, hub_version, host, port, started_at, last_seen_at)
SELECT 'tenant-' || t, 'hub-' || t, 'bench-hub', '1.0', 'localhost', 8080, now() - make_interval(days => :days), now()
  FROM generate_series(1, 3) t
ON CONFLICT DO NOTHING;

INSERT INTO mcp_servers (tenant_id, server_name, instance_id, transport, endpoint, status, first_seen_at,
                         last_connected_at, connected_since, updated_at)
SELECT 'tenant-' || t, 'server-' || lpad(s::text, 2, '0'), 'hub-' || t,
       (ARRAY['stdio', 'sse', 'streamable-http'])[1 + s % 3], 'bench://' || s,
       CASE WHEN s % 17 = 0 THEN 'disconnected' ELSE 'connected' END,
       now() - make_interval(days => :days), now() - interval '1 hour',
       CASE WHEN s % 17 = 0 THEN NULL ELSE now() - interval '1 hour' END, now()
  FROM generate_series(1, 3) t, generate_series(1, 50) s
ON CONFLICT DO NOTHING;

INSERT INTO tools (tenant_id, server_name, tool_name, title, description, first_seen_at, last_seen_at)
SELECT 'tenant-' || t, 'server-' || lpad(s::text, 2, '0'), 'tool_' || k, 'Tool ' || k, 'benchmark tool',
       now() - make_interval(days => :days), now()
  FROM generate_series(1, 3) t, generate_series(1, 50) s, generate_series(0, 9) k
ON CONFLICT DO NOTHING;

-- Executions: uniform over the period; tool popularity skewed (tool k of every server gets weight ~1/(k+1));
-- durations log-uniform from 1 ms to 1.1 s (3.3 s for tool_9); ~5 % errors of four kinds.
INSERT INTO tool_executions (tenant_id, instance_id, server_name, tool_name, started_at, duration_us, outcome,
                             error_class, error_message, argument_bytes, result_bytes, session_id, request_id)
SELECT 'tenant-' || (1 + i % 3), 'hub-' || (1 + i % 3),
       'server-' || lpad((1 + (i / 3) % 50)::text, 2, '0'),
       'tool_' || k,
       now() - make_interval(secs => (i::double precision / :rows) * :days * 86400),
       (exp(random() * 7) * 1000 * CASE WHEN k = 9 THEN 3 ELSE 1 END)::bigint,
       CASE WHEN e < 0.035 THEN 'tool_error' WHEN e < 0.045 THEN 'exception' WHEN e < 0.049 THEN 'timeout'
            WHEN e < 0.05 THEN 'protocol_error' ELSE 'success' END,
       CASE WHEN e < 0.035 THEN NULL WHEN e < 0.045 THEN 'java.io.IOException' WHEN e < 0.049 THEN NULL
            WHEN e < 0.05 THEN 'McpError' END,
       CASE WHEN e < 0.05 THEN 'benchmark failure ' || (i % 7) END,
       (100 + random() * 900)::int, (200 + random() * 4000)::int,
       'session-' || (i % 1000), (i % 100000)::text
  FROM (SELECT i, floor(-ln(1 - random() * 0.99995) * 2.2)::int % 10 AS k, random() AS e
          FROM generate_series(1, :rows) i) g;

INSERT INTO api_requests (tenant_id, occurred_at, instance_id, method, route, status, latency_us, request_bytes, response_bytes)
SELECT 'tenant-' || (1 + i % 3), now() - make_interval(secs => (i::double precision / (:rows / 20)) * :days * 86400),
       'hub-' || (1 + i % 3), (ARRAY['GET', 'POST'])[1 + i % 2],
       (ARRAY['/api/health', '/api/servers', '/api/servers/{id}/tools/{id}/call', '/mcp'])[1 + i % 4],
       CASE WHEN i % 50 = 0 THEN 500 WHEN i % 23 = 0 THEN 404 ELSE 200 END,
       (exp(random() * 6) * 1000)::bigint, 200, 1500
  FROM generate_series(1, :rows / 20) i;

INSERT INTO oauth_flows (tenant_id, occurred_at, flow_id, instance_id, server_name, grant_type, phase, outcome, duration_us)
SELECT 'tenant-' || (1 + i % 3), now() - make_interval(secs => (i::double precision / (:rows / 500)) * :days * 86400),
       'flow-' || i, 'hub-' || (1 + i % 3), 'auth.example', 'client_credentials', 'token',
       CASE WHEN i % 20 = 0 THEN 'failure' ELSE 'success' END, (50000 + random() * 200000)::bigint
  FROM generate_series(1, :rows / 500) i;

SELECT mcp_telemetry_refresh_rollups(now() - make_interval(days => :days + 1), now());
VACUUM ANALYZE;
SELECT tenant_id, count(*) AS executions, min(started_at), max(started_at) FROM tool_executions GROUP BY 1 ORDER BY 1;
SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS tool_executions_size
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'tool_executions'::regclass;
