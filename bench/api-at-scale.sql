-- Benchmark 4 data besides the tool executions, API requests and :rows / 500 OAuth flows (ApiScaleData sends
-- those through the real sink, which writes their rollups): the registry of 3 tenants, each with 50 servers
-- of 10 tools (500 tools), so every part of the dashboard has data.
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
