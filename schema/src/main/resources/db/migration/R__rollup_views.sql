-- The statistics of the API, under the same names and columns on every layout, each showing a
-- tenant's login the rows of its tenant only, and the schema owner every row (the views belong to
-- the owner, so they filter by themselves; security_barrier keeps that filter first). Per-tool rows are summed per key; the latency views
-- give the increments as stored (merge their histograms: keys and counts, see V004). The filter's two
-- functions are sub-selects, so that each runs once per query (an InitPlan) rather than on every row:
-- inlined, the tenant's name was taken apart from current_user per row, more than half of reading a
-- day of a tenant's per-minute rows.

DROP VIEW IF EXISTS server_stats_1h, server_stats_1d, tool_stats_1h, tool_stats_1d, tool_latency_1h, tool_latency_1d,
    tenant_latency_1h, tool_digests_1h, tool_digests_1d, tool_digests_1w, api_latency_1h, api_latency_1d, oauth_stats_1d;

CREATE VIEW tool_stats_1h WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, side, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, min(min_duration_us) AS min_duration_us,
           max(max_duration_us) AS max_duration_us, max(last_called_at) AS last_called_at
      FROM rollup_tool_1h WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()))
     GROUP BY tenant_id, bucket, server_name, tool_name, side;

CREATE VIEW tool_stats_1d WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, side, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, min(min_duration_us) AS min_duration_us,
           max(max_duration_us) AS max_duration_us, max(last_called_at) AS last_called_at
      FROM rollup_tool_1d WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()))
     GROUP BY tenant_id, bucket, server_name, tool_name, side;

CREATE VIEW tool_latency_1h WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, side, calls, errors, total_duration_us, max_duration_us,
           last_called_at, latency_keys, latency_counts
      FROM rollup_tool_1h WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

CREATE VIEW tool_latency_1d WITH (security_barrier) AS
    SELECT tenant_id, bucket, server_name, tool_name, side, calls, errors, total_duration_us, max_duration_us,
           last_called_at, latency_keys, latency_counts
      FROM rollup_tool_1d WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

CREATE VIEW tenant_latency_1h WITH (security_barrier) AS
    SELECT tenant_id, bucket, side, calls, errors, total_duration_us, max_duration_us, latency_keys, latency_counts
      FROM rollup_tenant_1h WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

-- Every tool's figures per tenant, side and bucket in one value (V010; the format is ToolDigest's), as stored:
-- add up the rows of a key. row_version names a row's content for as long as the row lives: digest rows are
-- only inserted and deleted, never updated, and no two live rows of a table share a ctid (the API server
-- keeps merged digests by it, and reads only the rows it does not hold: DigestCache).
CREATE VIEW tool_digests_1h WITH (security_barrier) AS
    SELECT tenant_id, bucket, side, digest, xmin::text || '/' || ctid::text AS row_version FROM rollup_tool_digest_1h
     WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

-- compacted: whether the row's figures are in its week's digest too (V012)
CREATE VIEW tool_digests_1d WITH (security_barrier) AS
    SELECT tenant_id, bucket, side, digest, compacted, xmin::text || '/' || ctid::text AS row_version FROM rollup_tool_digest_1d
     WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

-- Whole weeks from Monday 00:00 UTC (V012): the compacted days of each; add the days' other rows.
CREATE VIEW tool_digests_1w WITH (security_barrier) AS
    SELECT tenant_id, bucket, side, digest, xmin::text || '/' || ctid::text AS row_version FROM rollup_tool_digest_1w
     WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

-- The hub's API requests per tenant and hour (V011), increments as stored: add up the rows of a bucket.
-- compacted: whether the row is in its day's too (V013).
CREATE VIEW api_latency_1h WITH (security_barrier) AS
    SELECT tenant_id, bucket, requests, server_errors, latency_keys, latency_counts, compacted FROM rollup_api_1h
     WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

-- ... and per day of UTC (V013): the compacted hours of each; add the hours' other rows.
CREATE VIEW api_latency_1d WITH (security_barrier) AS
    SELECT tenant_id, bucket, requests, server_errors, latency_keys, latency_counts FROM rollup_api_1d
     WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

-- OAuth flow steps per tenant and day of UTC (V014), increments as stored: add up a day's rows, and
-- take the union of their flow ids.
CREATE VIEW oauth_stats_1d WITH (security_barrier) AS
    SELECT tenant_id, bucket, steps, success, failure, pending, duration_us, durations, flow_ids FROM rollup_oauth_1d
     WHERE (tenant_id = (SELECT mcp_telemetry_tenant()) OR (SELECT mcp_telemetry_is_owner()));

-- Per-server statistics are about downstream servers.
CREATE VIEW server_stats_1h AS
    SELECT tenant_id, bucket, server_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, max(max_duration_us) AS max_duration_us
      FROM tool_stats_1h WHERE side = 'downstream' GROUP BY tenant_id, bucket, server_name;

CREATE VIEW server_stats_1d AS
    SELECT tenant_id, bucket, server_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,
           sum(total_duration_us)::bigint AS total_duration_us, max(max_duration_us) AS max_duration_us
      FROM tool_stats_1d WHERE side = 'downstream' GROUP BY tenant_id, bucket, server_name;

GRANT SELECT ON tool_stats_1h, tool_stats_1d, tool_latency_1h, tool_latency_1d, tenant_latency_1h, server_stats_1h,
    server_stats_1d, tool_digests_1h, tool_digests_1d, tool_digests_1w, api_latency_1h, api_latency_1d, oauth_stats_1d TO mcp_tenant;
