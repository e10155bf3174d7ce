-- The newest report of each instance wins; start and last-seen times only ever widen.
INSERT INTO hub_instances AS h (tenant_id, instance_id, hub_name, hub_version, host, port, pid, jvm_version,
                                agent_version, started_at, last_seen_at, stopped_at, metadata)
SELECT DISTINCT ON (tenant_id, instance_id)
       tenant_id, instance_id, hub_name, hub_version, host, port, pid, jvm_version, agent_version,
       min(started_at) OVER w, last_seen_at, stopped_at, metadata
  FROM stage_hub_instances
WINDOW w AS (PARTITION BY tenant_id, instance_id)
 ORDER BY tenant_id, instance_id, last_seen_at DESC, stopped_at DESC NULLS LAST
ON CONFLICT (tenant_id, instance_id) DO UPDATE SET
       hub_name = EXCLUDED.hub_name, hub_version = EXCLUDED.hub_version, host = EXCLUDED.host, port = EXCLUDED.port,
       pid = EXCLUDED.pid, jvm_version = EXCLUDED.jvm_version, agent_version = EXCLUDED.agent_version,
       started_at = LEAST(h.started_at, EXCLUDED.started_at),
       last_seen_at = GREATEST(h.last_seen_at, EXCLUDED.last_seen_at),
       stopped_at = CASE WHEN EXCLUDED.last_seen_at >= h.last_seen_at THEN EXCLUDED.stopped_at ELSE h.stopped_at END,
       metadata = COALESCE(EXCLUDED.metadata, h.metadata);
