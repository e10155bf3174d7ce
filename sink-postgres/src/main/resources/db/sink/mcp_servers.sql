-- Each staged row is a state report of one hub process (a batch is one process's, instance_id), and a
-- batch may hold several for one server (connect, then disconnect). The newest decides that hub's state,
-- connect and disconnect times are kept from all of them, and each descriptive column takes its newest
-- non-null value. Several hubs of a tenant may share a server: connected_instances holds those connected
-- to it now, each report replaces its own hub's entry, and the server is connected while any is. Its
-- connected_since runs on while another hub held it, and a hub's disconnect counts as the server's only
-- when no hub is left. A report older than the row's last one from the same hub is stale and skipped, while
-- reports of different hubs are not compared (their clocks are not the same clock).
INSERT INTO mcp_servers AS m (tenant_id, server_name, instance_id, transport, endpoint, status, server_version,
                              protocol_version, capabilities, last_error, first_seen_at, last_connected_at,
                              last_disconnected_at, connected_since, updated_at, connected_instances)
SELECT DISTINCT ON (tenant_id, server_name)
       tenant_id, server_name, instance_id, transport,
       first_value(endpoint) OVER (PARTITION BY tenant_id, server_name ORDER BY endpoint IS NULL, at DESC),
       status,
       first_value(server_version) OVER (PARTITION BY tenant_id, server_name ORDER BY server_version IS NULL, at DESC),
       first_value(protocol_version) OVER (PARTITION BY tenant_id, server_name ORDER BY protocol_version IS NULL, at DESC),
       first_value(capabilities) OVER (PARTITION BY tenant_id, server_name ORDER BY capabilities IS NULL, at DESC),
       first_value(last_error) OVER (PARTITION BY tenant_id, server_name ORDER BY last_error IS NULL, at DESC),
       min(at) OVER w,
       max(at) FILTER (WHERE status = 'connected') OVER w,
       max(at) FILTER (WHERE status IN ('disconnected', 'failed')) OVER w,
       CASE WHEN status = 'connected' THEN max(at) FILTER (WHERE status = 'connected') OVER w END,
       at,
       CASE WHEN status = 'connected' AND instance_id IS NOT NULL THEN ARRAY[instance_id] ELSE '{}'::text[] END
  FROM stage_mcp_servers
WINDOW w AS (PARTITION BY tenant_id, server_name)
 ORDER BY tenant_id, server_name, at DESC
ON CONFLICT (tenant_id, server_name) DO UPDATE SET
       instance_id = EXCLUDED.instance_id,
       transport = EXCLUDED.transport,
       endpoint = COALESCE(EXCLUDED.endpoint, m.endpoint),
       status = CASE WHEN cardinality(array_remove(m.connected_instances, EXCLUDED.instance_id)) > 0 THEN 'connected'
                     ELSE EXCLUDED.status END,
       server_version = COALESCE(EXCLUDED.server_version, m.server_version),
       protocol_version = COALESCE(EXCLUDED.protocol_version, m.protocol_version),
       capabilities = COALESCE(EXCLUDED.capabilities, m.capabilities),
       last_error = COALESCE(EXCLUDED.last_error, m.last_error),
       first_seen_at = LEAST(m.first_seen_at, EXCLUDED.first_seen_at),
       last_connected_at = GREATEST(m.last_connected_at, EXCLUDED.last_connected_at),
       last_disconnected_at = CASE WHEN cardinality(array_remove(m.connected_instances, EXCLUDED.instance_id)) > 0
                                   THEN m.last_disconnected_at
                                   ELSE GREATEST(m.last_disconnected_at, EXCLUDED.last_disconnected_at) END,
       connected_since = CASE WHEN cardinality(array_remove(m.connected_instances, EXCLUDED.instance_id)) > 0
                                   THEN COALESCE(m.connected_since, EXCLUDED.connected_since)
                              WHEN EXCLUDED.status <> 'connected' THEN NULL
                              -- still the same connection only if this batch saw no disconnect
                              WHEN m.status = 'connected' AND EXCLUDED.last_disconnected_at IS NULL
                                   THEN COALESCE(m.connected_since, EXCLUDED.connected_since)
                              ELSE EXCLUDED.connected_since END,
       updated_at = EXCLUDED.updated_at,
       connected_instances = array_remove(m.connected_instances, EXCLUDED.instance_id) || EXCLUDED.connected_instances
 WHERE m.instance_id IS DISTINCT FROM EXCLUDED.instance_id OR m.updated_at <= EXCLUDED.updated_at;
