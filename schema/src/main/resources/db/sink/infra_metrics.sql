CREATE TEMP TABLE IF NOT EXISTS stage_infra_metrics (tenant_id text, sampled_at timestamptz, instance_id text, scope text, metric text, value double precision) ON COMMIT DELETE ROWS;

INSERT INTO infra_metrics (tenant_id, sampled_at, instance_id, scope, metric, value)
SELECT tenant_id, sampled_at, instance_id, scope, metric, value FROM stage_infra_metrics;
