-- One server may be connected by several hub processes of a tenant (mcp_servers is keyed by tenant and
-- name): the hub instances connected to it right now, so that one hub's disconnect leaves the server
-- connected while another still is, and its connected_since (uptime) runs on.
ALTER TABLE mcp_servers ADD COLUMN IF NOT EXISTS connected_instances text[] NOT NULL DEFAULT '{}';

UPDATE mcp_servers SET connected_instances = ARRAY[instance_id]
 WHERE status = 'connected' AND instance_id IS NOT NULL AND connected_instances = '{}';
