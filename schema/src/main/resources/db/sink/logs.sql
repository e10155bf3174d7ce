CREATE TEMP TABLE IF NOT EXISTS stage_logs (tenant_id text, occurred_at timestamptz, instance_id text, server_name text, level text, logger text, message text, context jsonb) ON COMMIT DELETE ROWS;

INSERT INTO logs (tenant_id, occurred_at, instance_id, server_name, level, logger, message, context)
SELECT tenant_id, occurred_at, instance_id, server_name, level, logger, message, context FROM stage_logs;
