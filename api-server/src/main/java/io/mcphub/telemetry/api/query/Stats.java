package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Statistics shared by several endpoints. Counts, error counts, average and maximum latency come from
 * the per-minute rollups (per-hour beyond a day), so they cost the same for any amount of raw data;
 * percentiles need the raw durations and read {@code tool_executions} for the window.
 */
final class Stats {
    private Stats() {
    }

    static String rollup(Window w) {
        return w.useHourlyRollup() ? "tool_stats_1h" : "tool_stats_1m";
    }

    static String trunc(Window w) {
        return w.useHourlyRollup() ? "hour" : "minute";
    }

    /** Rollup buckets overlapping the window: a bucket counts when it starts within it (or holds its start). */
    static String rollupRange(Window w) {
        return "bucket >= date_trunc('" + trunc(w) + "', ?::timestamptz) AND bucket < ?::timestamptz";
    }

    static Map<String, Object> totals(Connection c, Window w) throws SQLException {
        return Rows.one(c, "SELECT coalesce(sum(calls), 0)::bigint AS calls, coalesce(sum(errors), 0)::bigint AS errors, "
                + "round(coalesce(sum(errors)::numeric / nullif(sum(calls), 0), 0), 4) AS error_rate, "
                + "round(sum(total_duration_us)::numeric / nullif(sum(calls), 0) / 1000, 3) AS avg_ms, "
                + "round(max(max_duration_us)::numeric / 1000, 3) AS max_ms "
                + "FROM " + rollup(w) + " WHERE " + rollupRange(w), w.since(), w.until());
    }

    /** Per tool over the window from the rollups; {@code order} is a trusted ORDER BY clause. */
    static List<Map<String, Object>> perTool(Connection c, Window w, String server, String order, int limit)
            throws SQLException {
        return Rows.list(c, "SELECT server_name, tool_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors, "
                + "round(sum(errors)::numeric / nullif(sum(calls), 0), 4) AS error_rate, "
                + "round(sum(total_duration_us)::numeric / nullif(sum(calls), 0) / 1000, 3) AS avg_ms, "
                + "round(max(max_duration_us)::numeric / 1000, 3) AS max_ms "
                + "FROM " + rollup(w) + " WHERE " + rollupRange(w) + " AND (?::text IS NULL OR server_name = ?) "
                + "GROUP BY server_name, tool_name ORDER BY " + order + " LIMIT ?",
                w.since(), w.until(), server, server, limit);
    }

    /** Latency percentiles per tool from the raw rows of the window (downstream calls, like the rollups). */
    static List<Map<String, Object>> percentiles(Connection c, Window w, String server, String side) throws SQLException {
        return Rows.list(c, "SELECT server_name, tool_name, count(*) AS sampled, "
                + "round((percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_us) / 1000)::numeric, 3) AS p50_ms, "
                + "round((percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_us) / 1000)::numeric, 3) AS p95_ms, "
                + "round((percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_us) / 1000)::numeric, 3) AS p99_ms, "
                + "round(max(duration_us)::numeric / 1000, 3) AS max_ms, max(started_at) AS last_called_at "
                + "FROM tool_executions WHERE started_at >= ? AND started_at < ? AND side = ? "
                + "AND (?::text IS NULL OR server_name = ?) GROUP BY server_name, tool_name",
                w.since(), w.until(), side, server, server);
    }

    /** Calls and errors per step from the rollups, every step present (zeros where nothing ran). */
    static List<Map<String, Object>> callSeries(Connection c, Window w) throws SQLException {
        long step = w.seriesStep().toSeconds();
        return Rows.list(c, "WITH steps AS (SELECT generate_series(to_timestamp(floor(extract(epoch FROM ?::timestamptz) / ?) * ?), "
                + "?::timestamptz, make_interval(secs => ?)) AS t) "
                + "SELECT s.t, coalesce(sum(r.calls), 0)::bigint AS calls, coalesce(sum(r.errors), 0)::bigint AS errors, "
                + "round(coalesce(sum(r.errors)::numeric / nullif(sum(r.calls), 0), 0), 4) AS error_rate, "
                + "round(sum(r.total_duration_us)::numeric / nullif(sum(r.calls), 0) / 1000, 3) AS avg_ms "
                + "FROM steps s LEFT JOIN " + rollup(w) + " r ON r.bucket >= s.t AND r.bucket < s.t + make_interval(secs => ?) "
                + "GROUP BY s.t ORDER BY s.t",
                w.since(), (double) step, (double) step, w.until(), (double) step, (double) step);
    }

    /** Latency percentiles per step from raw rows; only offered up to a day (a week of raw rows is too many). */
    static List<Map<String, Object>> latencySeries(Connection c, Window w) throws SQLException {
        long step = w.seriesStep().toSeconds();
        return Rows.list(c, "SELECT to_timestamp(floor(extract(epoch FROM started_at) / ?) * ?) AS t, count(*) AS calls, "
                + "round((percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_us) / 1000)::numeric, 3) AS p50_ms, "
                + "round((percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_us) / 1000)::numeric, 3) AS p95_ms, "
                + "round((percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_us) / 1000)::numeric, 3) AS p99_ms "
                + "FROM tool_executions WHERE started_at >= ? AND started_at < ? AND side = 'downstream' "
                + "GROUP BY 1 ORDER BY 1", (double) step, (double) step, w.since(), w.until());
    }
}
