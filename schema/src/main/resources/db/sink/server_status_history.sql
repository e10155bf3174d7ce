CREATE TEMP TABLE IF NOT EXISTS stage_server_status_history (tenant_id text, occurred_at timestamptz, server_name text, instance_id text, status text, detail text) ON COMMIT DELETE ROWS;

INSERT INTO server_status_history (tenant_id, occurred_at, server_name, instance_id, status, detail)
SELECT tenant_id, occurred_at, server_name, instance_id, status, detail FROM stage_server_status_history;
