INSERT INTO tenants AS t (tenant_id, display_name)
SELECT DISTINCT ON (tenant_id) tenant_id, display_name
  FROM stage_tenants
 ORDER BY tenant_id, display_name NULLS LAST
ON CONFLICT (tenant_id) DO UPDATE SET display_name = COALESCE(EXCLUDED.display_name, t.display_name);
