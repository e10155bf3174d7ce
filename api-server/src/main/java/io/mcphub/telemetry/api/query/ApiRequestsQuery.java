package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;
import io.mcphub.telemetry.model.HistogramText;
import io.mcphub.telemetry.model.LatencyHistogram;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
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

    /**
     * Requests, rate, server error rate and p95 of the window: exact from the raw rows up to two hours or
     * for one route; beyond, the whole days from the daily rollup (V013, with the hours' increments it
     * does not hold yet), the other whole hours from the hourly one (V011) and only the partial hours at
     * the two ends from the raw rows, the p95 from the merged log histogram (within 2 %).
     */
    static Map<String, Object> totals(Connection c, String tenant, Window w, String route) throws SQLException {
        double seconds = w.length().toSeconds();
        if (route != null || w.length().compareTo(Duration.ofHours(2)) <= 0) {
            return Rows.one(c, "SELECT count(*) AS requests, round(count(*)::numeric / ?::numeric, 4) AS per_second, "
                    + "round(count(*)::numeric * 60 / ?::numeric, 3) AS per_minute, "
                    + "round(coalesce(count(*) FILTER (WHERE status >= 500)::numeric / nullif(count(*), 0), 0), 4) AS server_error_rate, "
                    + "round((percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_us) / 1000)::numeric, 3) AS p95_ms "
                    + "FROM api_requests WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ? AND (?::text IS NULL OR route = ?)",
                    seconds, seconds, tenant, w.since(), w.until(), route, route);
        }
        long requests = 0;
        long serverErrors = 0;
        LatencyHistogram latency = new LatencyHistogram();
        HistogramText histograms = new HistogramText();
        // bounds computed here (UTC hours, and values that prune the partitions when the query is planned)
        Instant firstWholeHour = w.afterFirstBucket(Duration.ofHours(1));
        Instant lastHour = w.lastBucket(Duration.ofHours(1));
        // the whole days among the whole hours: from the daily rollup, with the hours' increments it has not yet
        Instant firstWholeDay = Window.floor(firstWholeHour.minusSeconds(1), Duration.ofDays(1)).plus(Duration.ofDays(1));
        Instant lastDay = Window.floor(lastHour, Duration.ofDays(1));
        boolean days = lastDay.isAfter(firstWholeDay);
        String hours = "SELECT requests, server_errors, latency_keys::text, latency_counts::text "
                + "FROM api_latency_1h WHERE tenant_id = ? AND bucket >= ? AND bucket < ?";
        try (PreparedStatement ps = c.prepareStatement(!days ? hours : hours + " AND (bucket < ? OR bucket >= ? OR NOT compacted) "
                + "UNION ALL SELECT requests, server_errors, latency_keys::text, latency_counts::text "
                + "FROM api_latency_1d WHERE tenant_id = ? AND bucket >= ? AND bucket < ?")) {
            if (days) {
                Rows.bind(ps, tenant, firstWholeHour, lastHour, firstWholeDay, lastDay, tenant, firstWholeDay, lastDay);
            } else {
                Rows.bind(ps, tenant, firstWholeHour, lastHour);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    requests += rs.getLong(1);
                    serverErrors += rs.getLong(2);
                    histograms.addTo(latency, rs.getString(3), rs.getString(4));
                }
            }
        }
        // the partial hours, bucketed here as the sink buckets them (LatencyHistogram.key)
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN latency_us <= 1 THEN 0 "
                + "ELSE ceil(ln(latency_us::float8) / ln(?::float8))::int END, count(*), count(*) FILTER (WHERE status >= 500) "
                + "FROM (" + Stats.twoRanges("SELECT latency_us, status FROM api_requests WHERE tenant_id = ? "
                + "AND occurred_at >= ? AND occurred_at < ?") + ") r GROUP BY 1")) {
            Rows.bind(ps, LatencyHistogram.GAMMA, tenant, w.since(), firstWholeHour, tenant, lastHour, w.until());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    latency.add(rs.getInt(1), rs.getLong(2));
                    requests += rs.getLong(2);
                    serverErrors += rs.getLong(3);
                }
            }
        }
        BigDecimal n = BigDecimal.valueOf(requests);
        BigDecimal span = BigDecimal.valueOf(seconds);
        double p95 = latency.quantile(0.95);
        return Json.object("requests", requests,
                "per_second", n.divide(span, 4, RoundingMode.HALF_UP),
                "per_minute", n.multiply(BigDecimal.valueOf(60)).divide(span, 3, RoundingMode.HALF_UP),
                "server_error_rate", requests == 0 ? BigDecimal.ZERO.setScale(4) : Stats.rate(serverErrors, requests),
                "p95_ms", Double.isNaN(p95) ? null : BigDecimal.valueOf(p95).divide(BigDecimal.valueOf(1000), 3, RoundingMode.HALF_UP));
    }
}
