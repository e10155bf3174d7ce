CREATE TEMP TABLE IF NOT EXISTS stage_api_requests (tenant_id text, occurred_at timestamptz, instance_id text, method text, route text, status integer, latency_us bigint, request_bytes bigint, response_bytes bigint) ON COMMIT DELETE ROWS;

INSERT INTO api_requests (tenant_id, occurred_at, instance_id, method, route, status, latency_us, request_bytes, response_bytes)
SELECT tenant_id, occurred_at, instance_id, method, route, status, latency_us, request_bytes, response_bytes FROM stage_api_requests;
