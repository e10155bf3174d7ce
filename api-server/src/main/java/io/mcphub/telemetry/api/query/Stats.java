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

    /** p50/p95/p99 of the durations of a group, from one sort: the array {@code p} of {@link #QUANTILES_MS}. */
    private static final String QUANTILES = "percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_us) AS p";
    private static final String QUANTILES_MS = "round((p[1] / 1000)::numeric, 3) AS p50_ms, "
            + "round((p[2] / 1000)::numeric, 3) AS p95_ms, round((p[3] / 1000)::numeric, 3) AS p99_ms";

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

    /**
     * Latency percentiles per tool from the raw rows of the window (downstream calls, like the rollups).
     * The three percentiles come from one sort per tool (the array form of percentile_cont).
     */
    static List<Map<String, Object>> percentiles(Connection c, Window w, String server, String side) throws SQLException {
        return Rows.list(c, "SELECT server_name, tool_name, sampled, " + QUANTILES_MS + ", max_ms, last_called_at "
                + "FROM (SELECT server_name, tool_name, count(*) AS sampled, " + QUANTILES + ", "
                + "round(max(duration_us)::numeric / 1000, 3) AS max_ms, max(started_at) AS last_called_at "
                + "FROM tool_executions WHERE started_at >= ? AND started_at < ? AND side = ? "
                + "AND (?::text IS NULL OR server_name = ?) GROUP BY server_name, tool_name) t",
                w.since(), w.until(), side, server, server);
    }

    /**
     * Calls and errors per step from the rollups, every step present (zeros where nothing ran). The rollup
     * rows are summed per step first, within the steps' bounds, and then joined to the steps: a range
     * join of the steps to the rollup read the whole rollup (seconds at 10 M executions).
     */
    static List<Map<String, Object>> callSeries(Connection c, Window w) throws SQLException {
        double step = w.seriesStep().toSeconds();
        return Rows.list(c, "WITH b AS NOT MATERIALIZED (SELECT to_timestamp(floor(extract(epoch FROM ?::timestamptz) / ?) * ?) AS first, "
                + "?::timestamptz AS until, make_interval(secs => ?) AS step), "
                + "steps AS (SELECT generate_series(b.first, b.until, b.step) AS t FROM b), "
                + "per_step AS (SELECT to_timestamp(floor(extract(epoch FROM r.bucket) / ?) * ?) AS t, sum(r.calls) AS calls, "
                + "sum(r.errors) AS errors, sum(r.total_duration_us) AS total_duration_us "
                + "FROM " + rollup(w) + " r, b WHERE r.bucket >= b.first AND r.bucket < b.until + b.step GROUP BY 1) "
                + "SELECT s.t, coalesce(a.calls, 0)::bigint AS calls, coalesce(a.errors, 0)::bigint AS errors, "
                + "round(coalesce(a.errors::numeric / nullif(a.calls, 0), 0), 4) AS error_rate, "
                + "round(a.total_duration_us::numeric / nullif(a.calls, 0) / 1000, 3) AS avg_ms "
                + "FROM steps s LEFT JOIN per_step a ON a.t = s.t ORDER BY s.t",
                w.since(), step, step, w.until(), step, step, step);
    }

    /** Latency percentiles per step from raw rows; only offered up to a day (a week of raw rows is too many). */
    static List<Map<String, Object>> latencySeries(Connection c, Window w) throws SQLException {
        long step = w.seriesStep().toSeconds();
        return Rows.list(c, "SELECT t, calls, " + QUANTILES_MS + " FROM ("
                + "SELECT to_timestamp(floor(extract(epoch FROM started_at) / ?) * ?) AS t, count(*) AS calls, " + QUANTILES + " "
                + "FROM tool_executions WHERE started_at >= ? AND started_at < ? AND side = 'downstream' "
                + "GROUP BY 1) s ORDER BY t", (double) step, (double) step, w.since(), w.until());
    }
}
