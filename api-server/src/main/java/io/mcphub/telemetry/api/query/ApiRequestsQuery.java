package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** {@code GET /api/telemetry/api-requests}: the hub's REST traffic in the window, by route and status class. */
public final class ApiRequestsQuery {

    public Object handle(ApiRequest req) {
        Params p = req.params("window", "since", "until", "route", "limit");
        Window w = Window.from(p, req.now());
        String route = p.text("route");
        int limit = p.integer("limit", 100, 1, 1_000);
        long step = w.seriesStep().toSeconds();
        String tenant = req.tenant();
        return req.read(c -> {
            String where = " FROM api_requests WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ? "
                    + "AND (?::text IS NULL OR route = ?) ";
            var totals = totals(c, tenant, w, route);
            var byRoute = Rows.list(c, "SELECT method, route, count(*) AS requests, "
                    + "count(*) FILTER (WHERE status BETWEEN 400 AND 499) AS client_errors, "
                    + "count(*) FILTER (WHERE status >= 500) AS server_errors, "
                    + "round((percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_us) / 1000)::numeric, 3) AS p50_ms, "
                    + "round((percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_us) / 1000)::numeric, 3) AS p95_ms, "
                    + "round((percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_us) / 1000)::numeric, 3) AS p99_ms, "
                    + "round(max(latency_us) / 1000.0, 3) AS max_ms, sum(response_bytes)::bigint AS response_bytes"
                    + where + "GROUP BY 1, 2 ORDER BY requests DESC, route, method LIMIT ?",
                    tenant, w.since(), w.until(), route, route, limit);
            var byStatus = Rows.list(c, "SELECT (status / 100) || 'xx' AS status_class, count(*) AS requests" + where
                    + "GROUP BY 1 ORDER BY 1", tenant, w.since(), w.until(), route, route);
            var series = Rows.list(c, "SELECT to_timestamp(floor(extract(epoch FROM occurred_at) / ?) * ?) AS t, count(*) AS requests, "
                    + "count(*) FILTER (WHERE status >= 500) AS server_errors" + where + "GROUP BY 1 ORDER BY 1",
                    (double) step, (double) step, tenant, w.since(), w.until(), route, route);
            return Json.object("window", w.json(), "totals", totals, "by_route", byRoute, "by_status", byStatus,
                    "series", series, "series_step_s", step);
        });
    }

    static Map<String, Object> totals(Connection c, String tenant, Window w, String route) throws SQLException {
        return Rows.one(c, "SELECT count(*) AS requests, round(count(*)::numeric / ?::numeric, 4) AS per_second, "
                + "round(count(*)::numeric * 60 / ?::numeric, 3) AS per_minute, "
                + "round(coalesce(count(*) FILTER (WHERE status >= 500)::numeric / nullif(count(*), 0), 0), 4) AS server_error_rate, "
                + "round((percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_us) / 1000)::numeric, 3) AS p95_ms "
                + "FROM api_requests WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ? AND (?::text IS NULL OR route = ?)",
                (double) w.length().toSeconds(), (double) w.length().toSeconds(), tenant, w.since(), w.until(), route, route);
    }
}
