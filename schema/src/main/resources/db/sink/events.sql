CREATE TEMP TABLE IF NOT EXISTS stage_events (tenant_id text, occurred_at timestamptz, instance_id text, event_type text, server_name text, payload jsonb) ON COMMIT DELETE ROWS;

INSERT INTO events (tenant_id, occurred_at, instance_id, event_type, server_name, payload)
SELECT tenant_id, occurred_at, instance_id, event_type, server_name, payload FROM stage_events;
