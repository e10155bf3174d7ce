-- Sightings widen first/last seen; the newest report says whether the entry is currently removed.
INSERT INTO resources AS c (tenant_id, server_name, uri, resource_name, description, mime_type, first_seen_at, last_seen_at, removed_at)
SELECT DISTINCT ON (tenant_id, server_name, uri)
       tenant_id, server_name, uri, resource_name, description, mime_type,
       COALESCE(min(seen_at) FILTER (WHERE NOT removed) OVER w, seen_at),
       COALESCE(max(seen_at) FILTER (WHERE NOT removed) OVER w, seen_at),
       CASE WHEN removed THEN seen_at END
  FROM stage_resources
WINDOW w AS (PARTITION BY tenant_id, server_name, uri)
 ORDER BY tenant_id, server_name, uri, seen_at DESC, removed
ON CONFLICT (tenant_id, server_name, uri) DO UPDATE SET
       resource_name = COALESCE(EXCLUDED.resource_name, c.resource_name), description = COALESCE(EXCLUDED.description, c.description),
       mime_type = COALESCE(EXCLUDED.mime_type, c.mime_type),
       first_seen_at = LEAST(c.first_seen_at, EXCLUDED.first_seen_at),
       last_seen_at = CASE WHEN EXCLUDED.removed_at IS NULL THEN GREATEST(c.last_seen_at, EXCLUDED.last_seen_at)
                           ELSE c.last_seen_at END,
       removed_at = EXCLUDED.removed_at;
