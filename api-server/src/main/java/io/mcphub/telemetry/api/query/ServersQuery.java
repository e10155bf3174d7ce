package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.model.Transport;
import io.mcphub.telemetry.model.SqlNamed;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/telemetry/servers}: each MCP server's state, transport, uptime over the window (from
 * its status history, starting from the status it had when the window opened), last connect and
 * disconnect, live tool count and calls/errors in the window.
 */
public final class ServersQuery {

    // Every table is filtered by the tenant parameter itself (not through a CTE), which is what lets
    // Citus route each query to the tenant's shard. Uptime is a second query joined here rather than
    // by LEFT JOIN: with row-level security the tenant filter becomes a constant condition, which Citus
    // on PostgreSQL 15 and 16 refuses beside an outer join.
    static final String SERVERS = """
            SELECT s.server_name, s.status, s.transport, s.endpoint, s.server_version, s.protocol_version,
                   s.instance_id, s.last_error, s.first_seen_at, s.last_connected_at, s.last_disconnected_at,
                   s.connected_since,
                   CASE WHEN s.connected_since IS NOT NULL
                        THEN round(extract(epoch FROM now() - s.connected_since)::numeric, 3) END AS connected_for_s,
                   s.updated_at,
                   (SELECT count(*) FROM tools t WHERE t.tenant_id = s.tenant_id AND t.server_name = s.server_name
                                                   AND t.removed_at IS NULL) AS tool_count
              FROM mcp_servers s
             WHERE s.tenant_id = ?""";

    /**
     * Uptime over the window from the status history, starting from the status each hub had when it
     * opened. Several hubs of the tenant may connect to one server: each hub's own changes are followed
     * apart, and the server counts as up while at least one of them is connected (a +1 where a hub's
     * connection starts, a -1 where it ends, summed over time). An outage is a disconnect or failure
     * that leaves no hub connected. The statuses at the window's start are one pass over the tenant's
     * history before it (one scan per partition), not one per server: per server, every partition was
     * probed (50 servers, 40 daily partitions: 4.5 of the 13 ms of a request, planning included), and
     * each probe read all of that server's rows before the start anyway.
     */
    static final String UPTIME = """
            WITH changes AS (
                SELECT b.server_name, b.instance_id, greatest(b.occurred_at, ?::timestamptz) AS t0, b.status
                  FROM (SELECT DISTINCT ON (h.server_name, h.instance_id) h.server_name, h.instance_id, h.occurred_at, h.status
                          FROM server_status_history h
                         WHERE h.tenant_id = ? AND h.occurred_at < ?::timestamptz
                         ORDER BY h.server_name, h.instance_id, h.occurred_at DESC) b
                UNION ALL
                SELECT h.server_name, h.instance_id, h.occurred_at, h.status FROM server_status_history h
                 WHERE h.tenant_id = ? AND h.occurred_at >= ?::timestamptz AND h.occurred_at < ?::timestamptz
            ),
            steps AS (
                SELECT server_name, status, t0,
                       (status = 'connected')::int - coalesce((lag(status) OVER (PARTITION BY server_name, instance_id
                                                                                  ORDER BY t0) = 'connected')::int, 0) AS delta
                  FROM changes
            ),
            levels AS (
                SELECT server_name, status, t0,
                       sum(delta) OVER (PARTITION BY server_name ORDER BY t0, delta DESC ROWS UNBOUNDED PRECEDING) AS held,
                       lead(t0, 1, ?::timestamptz) OVER (PARTITION BY server_name ORDER BY t0, delta DESC) AS t1
                  FROM steps
            )
            SELECT server_name,
                   coalesce(sum(extract(epoch FROM t1 - t0)) FILTER (WHERE held > 0), 0) AS up_s,
                   sum(extract(epoch FROM t1 - t0)) AS known_s,
                   count(*) FILTER (WHERE status IN ('disconnected', 'failed') AND held = 0 AND t0 > ?::timestamptz) AS outages
              FROM levels GROUP BY server_name""";

    public Object handle(ApiRequest req) {
        Params p = req.params("window", "since", "until", "status", "transport");
        Window w = Window.from(p, req.now());
        String status = SqlNamed.nameOf(p.named("status", ServerStatus.class));
        String transport = SqlNamed.nameOf(p.named("transport", Transport.class));
        String tenant = req.tenant();
        StringBuilder sql = new StringBuilder(SERVERS);
        List<Object> args = new ArrayList<>(List.of(tenant));
        if (status != null) {
            sql.append(" AND s.status = ?");
            args.add(status);
        }
        if (transport != null) {
            sql.append(" AND s.transport = ?");
            args.add(transport);
        }
        sql.append(" ORDER BY s.server_name");
        return req.read(c -> {
            var servers = Rows.list(c, sql.toString(), args.toArray());
            Map<String, Map<String, Object>> uptime = new HashMap<>();
            // by server name: the rows of servers the list does not hold (filtered out) are not looked up
            for (Map<String, Object> u : Rows.list(c, UPTIME, w.since(), tenant, w.since(), tenant, w.since(),
                    w.until(), w.until(), w.since())) {
                uptime.put((String) u.get("server_name"), u);
            }
            Map<String, long[]> calls = Stats.serverCalls(c, req.db(), tenant, w);
            for (Map<String, Object> s : servers) {
                long[] sum = calls.getOrDefault((String) s.get("server_name"), new long[2]);
                s.put("calls", sum[0]);
                s.put("errors", sum[1]);
                s.put("error_rate", sum[0] == 0 ? 0.0 : Math.round(sum[1] * 10_000.0 / sum[0]) / 10_000.0);
                Map<String, Object> u = uptime.get((String) s.get("server_name"));
                double known = u == null || u.get("known_s") == null ? 0 : ((Number) u.get("known_s")).doubleValue();
                double up = u == null ? 0 : ((Number) u.get("up_s")).doubleValue();
                s.put("uptime_percent", known == 0 ? null : Math.round(10_000.0 * up / known) / 100.0);
                s.put("observed_s", Math.round(known * 1000) / 1000.0);
                s.put("outages", u == null ? 0L : ((Number) u.get("outages")).longValue());
            }
            return Json.object("window", w.json(), "servers", servers);
        });
    }
}
