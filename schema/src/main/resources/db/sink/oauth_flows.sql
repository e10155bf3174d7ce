CREATE TEMP TABLE IF NOT EXISTS stage_oauth_flows (tenant_id text, occurred_at timestamptz, flow_id text, instance_id text, server_name text, grant_type text, phase text, outcome text, duration_us bigint, error text) ON COMMIT DELETE ROWS;

INSERT INTO oauth_flows (tenant_id, occurred_at, flow_id, instance_id, server_name, grant_type, phase, outcome, duration_us, error)
SELECT tenant_id, occurred_at, flow_id, instance_id, server_name, grant_type, phase, outcome, duration_us, error FROM stage_oauth_flows;
