package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.model.Transport;
import io.mcphub.telemetry.model.SqlNamed;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;

/**
 * {@code GET /api/telemetry/servers}: each MCP server's state, transport, uptime over the window (from
 * its status history, starting from the status it had when the window opened), last connect and
 * disconnect, live tool count and calls/errors in the window.
 */
public final class ServersQuery {

    // w is inlined (NOT MATERIALIZED) so that its bounds reach the planner as the parameters they are:
    // a materialized w hid them and made the rollup read whole (seconds at 10 M executions).
    static final String SQL = """
            WITH w AS NOT MATERIALIZED (SELECT ?::timestamptz AS since, ?::timestamptz AS until),
            changes AS (
                SELECT s.server_name, greatest(b.occurred_at, w.since) AS t0, b.status
                  FROM mcp_servers s CROSS JOIN w
                  CROSS JOIN LATERAL (SELECT h.occurred_at, h.status FROM server_status_history h
                                       WHERE h.server_name = s.server_name AND h.occurred_at < w.since
                                       ORDER BY h.occurred_at DESC LIMIT 1) b
                UNION ALL
                SELECT h.server_name, h.occurred_at, h.status FROM server_status_history h, w
                 WHERE h.occurred_at >= w.since AND h.occurred_at < w.until
            ),
            spans AS (
                SELECT server_name, status, t0,
                       lead(t0, 1, (SELECT until FROM w)) OVER (PARTITION BY server_name ORDER BY t0) AS t1
                  FROM changes
            ),
            uptime AS (
                SELECT server_name,
                       coalesce(sum(extract(epoch FROM t1 - t0)) FILTER (WHERE status = 'connected'), 0) AS up_s,
                       sum(extract(epoch FROM t1 - t0)) AS known_s,
                       count(*) FILTER (WHERE status IN ('disconnected', 'failed') AND t0 > (SELECT since FROM w)) AS outages
                  FROM spans GROUP BY server_name
            ),
            calls AS (
                SELECT server_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors
                  FROM %s, w WHERE bucket >= date_trunc('%s', w.since) AND bucket < w.until GROUP BY server_name
            )
            SELECT s.server_name, s.status, s.transport, s.endpoint, s.server_version, s.protocol_version,
                   s.instance_id, s.last_error, s.first_seen_at, s.last_connected_at, s.last_disconnected_at,
                   s.connected_since,
                   CASE WHEN s.connected_since IS NOT NULL
                        THEN round(extract(epoch FROM now() - s.connected_since)::numeric, 3) END AS connected_for_s,
                   s.updated_at,
                   (SELECT count(*) FROM tools t WHERE t.server_name = s.server_name AND t.removed_at IS NULL) AS tool_count,
                   round((100 * u.up_s / nullif(u.known_s, 0))::numeric, 2) AS uptime_percent,
                   round(coalesce(u.known_s, 0)::numeric, 3) AS observed_s,
                   coalesce(u.outages, 0) AS outages,
                   coalesce(k.calls, 0) AS calls, coalesce(k.errors, 0) AS errors,
                   round(coalesce(k.errors::numeric / nullif(k.calls, 0), 0), 4) AS error_rate
              FROM mcp_servers s
              LEFT JOIN uptime u USING (server_name)
              LEFT JOIN calls k USING (server_name)
             WHERE (?::text IS NULL OR s.status = ?) AND (?::text IS NULL OR s.transport = ?)
             ORDER BY s.server_name
            """;

    public Object handle(ApiRequest req) {
        Params p = req.params("window", "since", "until", "status", "transport");
        Window w = Window.from(p, req.now());
        String status = SqlNamed.nameOf(p.named("status", ServerStatus.class));
        String transport = SqlNamed.nameOf(p.named("transport", Transport.class));
        return req.read(c -> {
            var servers = Rows.list(c, SQL.formatted(Stats.rollup(w), Stats.trunc(w)),
                    w.since(), w.until(), status, status, transport, transport);
            return Json.object("window", w.json(), "servers", servers);
        });
    }
}
