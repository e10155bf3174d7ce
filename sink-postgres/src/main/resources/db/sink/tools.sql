-- Sightings widen first/last seen; the newest report says whether the entry is currently removed.
INSERT INTO tools AS c (tenant_id, server_name, tool_name, title, description, input_schema, first_seen_at, last_seen_at, removed_at)
SELECT DISTINCT ON (tenant_id, server_name, tool_name)
       tenant_id, server_name, tool_name, title, description, input_schema,
       COALESCE(min(seen_at) FILTER (WHERE NOT removed) OVER w, seen_at),
       COALESCE(max(seen_at) FILTER (WHERE NOT removed) OVER w, seen_at),
       CASE WHEN removed THEN seen_at END
  FROM stage_tools
WINDOW w AS (PARTITION BY tenant_id, server_name, tool_name)
 ORDER BY tenant_id, server_name, tool_name, seen_at DESC, removed
ON CONFLICT (tenant_id, server_name, tool_name) DO UPDATE SET
       title = COALESCE(EXCLUDED.title, c.title), description = COALESCE(EXCLUDED.description, c.description),
       input_schema = COALESCE(EXCLUDED.input_schema, c.input_schema),
       first_seen_at = LEAST(c.first_seen_at, EXCLUDED.first_seen_at),
       last_seen_at = CASE WHEN EXCLUDED.removed_at IS NULL THEN GREATEST(c.last_seen_at, EXCLUDED.last_seen_at)
                           ELSE c.last_seen_at END,
       removed_at = EXCLUDED.removed_at;
