package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/telemetry/dashboard}: everything the dashboard page shows in one round trip. Totals
 * and the call series come from the rollups; the busiest and slowest tools from one scan of the raw rows
 * up to an hour and of the tool digests beyond (Stats.toolWindow); the latency series from the same scan
 * of the raw rows up to an hour and the hourly tenant histograms up to a day. Answers are cached briefly per tenant and query.
 */
public final class DashboardQuery {

    public Object handle(ApiRequest req) {
        Params p = req.params("window", "since", "until");
        Window w = Window.from(p, req.now());
        String tenant = req.tenant();
        String downstream = ExecutionSide.DOWNSTREAM.sqlName();
        return req.read(c -> {
            // the hubs and the servers' counts as /health gives them, without its agent counters and
            // database time, which the dashboard does not show: the counts from the server list
            var hubs = Rows.list(c, HealthQuery.HUBS, tenant);
            var serverList = Rows.list(c, "SELECT s.server_name, s.status, s.transport, s.connected_since, s.last_error, "
                    + "(SELECT count(*) FROM tools t WHERE t.tenant_id = s.tenant_id AND t.server_name = s.server_name "
                    + "AND t.removed_at IS NULL) AS tool_count FROM mcp_servers s WHERE s.tenant_id = ? ORDER BY s.server_name",
                    tenant);
            Map<String, Long> byStatus = new HashMap<>();
            serverList.forEach(s -> byStatus.merge((String) s.get("status"), 1L, Long::sum));
            var servers = HealthQuery.serverCounts(byStatus);
            Stats.Calls calls = Stats.calls(c, tenant, w);
            // the busiest and the slowest tools from one scan of the rollups (Stats.toolWindow)
            // up to an hour the latency series comes from the same scan of the raw rows
            Stats.LatencySteps steps = w.grain() == Window.Grain.RAW ? new Stats.LatencySteps(w) : null;
            var perTool = Stats.toolWindow(c, req.db(), tenant, w, downstream, null, true, steps).values();
            List<Map<String, Object>> top = new ArrayList<>(perTool.size());
            List<Map<String, Object>> slowest = new ArrayList<>(perTool.size());
            for (Stats.ToolWindow t : perTool) {
                top.add(t.stats());
                if (t.latency() != null) {
                    slowest.add(t.latency());
                }
            }
            top.sort(Comparator.comparing((Map<String, Object> m) -> -((Number) m.get("calls")).longValue())
                    .thenComparing(m -> (String) m.get("server_name")).thenComparing(m -> (String) m.get("tool_name")));
            top = top.subList(0, Math.min(10, top.size()));
            slowest.sort(Comparator.comparing((Map<String, Object> m) -> -num(m.get("p95_ms")))
                    .thenComparing(m -> (String) m.get("tool_name")));
            slowest = slowest.subList(0, Math.min(10, slowest.size()));
            var errors = latestErrors(c, tenant, w);
            var oauth = OAuthQuery.summary(c, tenant, w, null);
            var api = ApiRequestsQuery.totals(c, tenant, w, null);
            Object latency = steps != null ? steps.series()
                    : w.length().compareTo(Duration.ofHours(25)) <= 0 ? Stats.latencySeries(c, tenant, w) : null;
            return Json.object("window", w.json(), "generated_at", req.now(), "tenant", tenant,
                    "status", HealthQuery.status(hubs, servers), "hubs", hubs, "servers", servers, "server_list", serverList,
                    "executions", calls.totals(), "top_tools", top, "slowest_tools", slowest, "latest_errors", errors,
                    "oauth", oauth, "api_requests", api,
                    "series", Json.object("step_s", w.seriesStep().toSeconds(), "calls", calls.series(), "latency", latency));
        });
    }

    /**
     * The window's 10 latest failed calls, looked for back from its end in widening ranges
     * ({@link NewestFirst}): the same rows as one query over the window, without reading days of rows
     * (on TimescaleDB, decompressing their chunks: ~1 s at 30 days) when the latest failures are recent,
     * as they are.
     */
    static List<Map<String, Object>> latestErrors(Connection c, String tenant, Window w) throws SQLException {
        return NewestFirst.rows(c, "SELECT id, started_at, server_name, tool_name, outcome, error_class, error_message, "
                + "round(duration_us / 1000.0, 3) AS duration_ms FROM tool_executions "
                + "WHERE tenant_id = ? AND outcome <> 'success' AND started_at >= ? AND started_at < ?",
                List.of(tenant, w.since(), w.until()), w.until(), w.since(), 10);
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : -1;
    }
}
