package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;

/**
 * {@code GET /api/telemetry/errors}: failed tool calls in the window grouped by server, tool, error
 * class and outcome, with an error-rate series. Server/tool totals and the series come from the
 * rollups; grouping by error class reads only the failed raw rows (a partial index covers them).
 */
public final class ErrorsQuery {

    public Object handle(ApiRequest req) {
        Params p = req.params("window", "since", "until", "server", "tool", "limit");
        Window w = Window.from(p, req.now());
        String server = p.text("server");
        String tool = p.text("tool");
        int limit = p.integer("limit", 50, 1, 1_000);
        String rollup = Stats.rollup(w);
        String range = Stats.rollupRange(w);
        return req.read(c -> {
            var totals = Rows.one(c, "SELECT coalesce(sum(calls), 0)::bigint AS calls, coalesce(sum(errors), 0)::bigint AS errors, "
                    + "round(coalesce(sum(errors)::numeric / nullif(sum(calls), 0), 0), 4) AS error_rate FROM " + rollup
                    + " WHERE " + range + " AND (?::text IS NULL OR server_name = ?) AND (?::text IS NULL OR tool_name = ?)",
                    w.since(), w.until(), server, server, tool, tool);
            var byServer = Rows.list(c, "SELECT server_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors, "
                    + "round(sum(errors)::numeric / nullif(sum(calls), 0), 4) AS error_rate FROM " + rollup + " WHERE " + range
                    + " AND (?::text IS NULL OR server_name = ?) AND (?::text IS NULL OR tool_name = ?) "
                    + "GROUP BY server_name HAVING sum(errors) > 0 ORDER BY errors DESC, server_name LIMIT ?",
                    w.since(), w.until(), server, server, tool, tool, limit);
            var byTool = Rows.list(c, "SELECT server_name, tool_name, sum(calls)::bigint AS calls, sum(errors)::bigint AS errors, "
                    + "round(sum(errors)::numeric / nullif(sum(calls), 0), 4) AS error_rate FROM " + rollup + " WHERE " + range
                    + " AND (?::text IS NULL OR server_name = ?) AND (?::text IS NULL OR tool_name = ?) "
                    + "GROUP BY server_name, tool_name HAVING sum(errors) > 0 ORDER BY errors DESC, server_name, tool_name LIMIT ?",
                    w.since(), w.until(), server, server, tool, tool, limit);
            String raw = " FROM tool_executions WHERE started_at >= ? AND started_at < ? AND outcome <> 'success' "
                    + "AND side = 'downstream' AND (?::text IS NULL OR server_name = ?) AND (?::text IS NULL OR tool_name = ?) ";
            var byClass = Rows.list(c, "SELECT coalesce(error_class, outcome) AS error_class, count(*) AS errors, "
                    + "count(DISTINCT server_name || '/' || tool_name) AS tools, max(started_at) AS last_seen_at, "
                    + "(array_agg(error_message ORDER BY started_at DESC))[1] AS last_message" + raw
                    + "GROUP BY 1 ORDER BY errors DESC, 1 LIMIT ?", w.since(), w.until(), server, server, tool, tool, limit);
            var byOutcome = Rows.list(c, "SELECT outcome, count(*) AS errors" + raw + "GROUP BY 1 ORDER BY 2 DESC, 1",
                    w.since(), w.until(), server, server, tool, tool);
            var series = (server == null && tool == null) ? Stats.callSeries(c, w) : null;
            return Json.object("window", w.json(), "totals", totals, "by_server", byServer, "by_tool", byTool,
                    "by_error_class", byClass, "by_outcome", byOutcome,
                    "series", series, "series_step_s", w.seriesStep().toSeconds());
        });
    }
}
