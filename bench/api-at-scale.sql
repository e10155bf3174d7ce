-- Benchmark 4 data besides the tool executions (ApiScaleData sends those through the real sink): the
-- registry of 3 tenants, each with 50 servers of 10 tools (500 tools), and :rows / 20 API requests and
-- :rows / 500 OAuth flows over the last :days days, so every part of the dashboard has data.
-- Run as the database owner, after the partitions exist. Statements end with ';' at the end of a line.
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

INSERT INTO api_requests (tenant_id, occurred_at, instance_id, method, route, status, latency_us, request_bytes, response_bytes)
SELECT 'tenant-' || (1 + i % 3), now() - make_interval(secs => (i::double precision / (:rows / 20)) * :days * 86400),
       'hub-' || (1 + i % 3), (ARRAY['GET', 'POST'])[1 + i % 2],
       (ARRAY['/api/health', '/api/servers', '/api/servers/{id}/tools/{id}/call', '/mcp'])[1 + i % 4],
       CASE WHEN i % 50 = 0 THEN 500 WHEN i % 23 = 0 THEN 404 ELSE 200 END,
       (exp(random() * 6) * 1000)::bigint, 200, 1500
  FROM generate_series(1, :rows / 20) i;
-- their hourly rollup, which the sink writes with requests it stores (the statement V011 fills it with)
INSERT INTO rollup_api_1h (tenant_id, bucket, requests, server_errors, latency_keys, latency_counts, compacted)
SELECT tenant_id, bucket, sum(n)::bigint, sum(errors)::bigint, array_agg(k ORDER BY k), array_agg(n ORDER BY k), true
  FROM (SELECT tenant_id, date_trunc('hour', occurred_at) AS bucket,
               CASE WHEN latency_us <= 1 THEN 0 ELSE ceil(ln(latency_us::float8) / ln(1.02::float8 / 0.98::float8)) END::smallint AS k,
               count(*) AS n, count(*) FILTER (WHERE status >= 500) AS errors
          FROM api_requests GROUP BY 1, 2, 3) h
 GROUP BY tenant_id, bucket;

INSERT INTO oauth_flows (tenant_id, occurred_at, flow_id, instance_id, server_name, grant_type, phase, outcome, duration_us)
SELECT 'tenant-' || (1 + i % 3), now() - make_interval(secs => (i::double precision / (:rows / 500)) * :days * 86400),
       'flow-' || i, 'hub-' || (1 + i % 3), 'auth.example', 'client_credentials', 'token',
       CASE WHEN i % 20 = 0 THEN 'failure' ELSE 'success' END, (50000 + random() * 200000)::bigint
  FROM generate_series(1, :rows / 500) i;

