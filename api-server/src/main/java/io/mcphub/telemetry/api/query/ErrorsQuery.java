package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Window;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolTotals;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;

/**
 * {@code GET /api/telemetry/errors}: failed tool calls in the window grouped by server, tool, error
 * class and outcome, with an error-rate series: from one scan of the raw rows of a window up to an
 * hour, else from the hourly or daily tool digests; the totals and the series from the per-minute rollup.
 */
public final class ErrorsQuery {

    public Object handle(ApiRequest req) {
        Params p = req.params("window", "since", "until", "server", "tool", "limit");
        Window w = Window.from(p, req.now());
        String server = p.text("server");
        String tool = p.text("tool");
        int limit = p.integer("limit", 50, 1, 1_000);
        String tenant = req.tenant();
        String downstream = ExecutionSide.DOWNSTREAM.sqlName();
        return req.read(c -> {
            List<Map<String, Object>> tools = new ArrayList<>();
            Map<String, ClassSums> classes = new HashMap<>();
            Map<String, Long> outcomes = new HashMap<>();
            // per tool, and by class and outcome, from one read (Stats.toolWindow: the raw rows or the digests)
            for (Stats.ToolWindow t : new TreeMap<>(Stats.toolWindow(c, req.db(), tenant, w, downstream, server, false)).values()) {
                String name = (String) t.stats().get("tool_name");
                if (tool != null && !tool.equals(name)) {
                    continue;
                }
                tools.add(t.stats());
                for (ToolTotals.Failure f : t.failures()) {
                    classes.computeIfAbsent(f.errorClass(), ClassSums::new).add(f.errors(),
                            Timestamp.from(Times.ofMicros(f.lastSeenMicros())), f.lastMessage(),
                            (String) t.stats().get("server_name"), name);
                    outcomes.merge(f.outcome(), f.errors(), Long::sum);
                }
            }
            Stats.Calls calls = server == null && tool == null ? Stats.calls(c, tenant, w) : null;
            Map<String, Object> totals = calls != null ? calls.totals() : sum(tools, null);
            totals.keySet().retainAll(List.of("calls", "errors", "error_rate"));
            Set<String> servers = new LinkedHashSet<>();
            tools.forEach(t -> servers.add((String) t.get("server_name")));
            List<Map<String, Object>> byServer = new ArrayList<>();
            for (String name : servers) {
                Map<String, Object> sum = sum(tools.stream().filter(t -> name.equals(t.get("server_name"))).toList(), name);
                if (((Number) sum.get("errors")).longValue() > 0) {
                    byServer.add(sum);
                }
            }
            byServer.sort(Comparator.comparing((Map<String, Object> m) -> -((Number) m.get("errors")).longValue())
                    .thenComparing(m -> (String) m.get("server_name")));
            List<Map<String, Object>> byTool = new ArrayList<>();
            for (Map<String, Object> t : tools) {
                if (((Number) t.get("errors")).longValue() > 0) {
                    byTool.add(Json.object("server_name", t.get("server_name"), "tool_name", t.get("tool_name"),
                            "calls", t.get("calls"), "errors", t.get("errors"), "error_rate", t.get("error_rate")));
                }
            }
            byTool.sort(Comparator.comparing((Map<String, Object> m) -> -((Number) m.get("errors")).longValue())
                    .thenComparing(m -> (String) m.get("server_name")).thenComparing(m -> (String) m.get("tool_name")));
            List<Map<String, Object>> byClass = new ArrayList<>(classes.size());
            classes.values().stream().sorted(Comparator.comparingLong((ClassSums k) -> -k.errors)
                    .thenComparing(k -> k.errorClass, Comparator.nullsLast(Comparator.naturalOrder())))
                    .limit(limit).forEach(k -> byClass.add(k.json()));
            List<Map<String, Object>> byOutcome = new ArrayList<>(outcomes.size());
            outcomes.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, Long> e) -> -e.getValue())
                    .thenComparing(Map.Entry::getKey, Comparator.nullsLast(Comparator.naturalOrder())))
                    .forEach(e -> byOutcome.add(Json.object("outcome", e.getKey(), "errors", e.getValue())));
            limitTo(byServer, limit);
            limitTo(byTool, limit);
            var series = calls != null ? calls.series() : null;
            return Json.object("window", w.json(), "totals", totals, "by_server", byServer, "by_tool", byTool,
                    "by_error_class", byClass, "by_outcome", byOutcome,
                    "series", series, "series_step_s", w.seriesStep().toSeconds());
        });
    }

    /** One error class's running figures: errors, distinct tools, latest failure and its message. */
    private static final class ClassSums {
        final String errorClass;
        long errors;
        final Set<String> tools = new HashSet<>();
        Timestamp lastSeenAt;
        String lastMessage;

        ClassSums(String errorClass) {
            this.errorClass = errorClass;
        }

        void add(long more, Timestamp seenAt, String message, String server, String tool) {
            errors += more;
            tools.add(server + "/" + tool);
            if (lastSeenAt == null || seenAt.after(lastSeenAt)) {
                lastSeenAt = seenAt;
                lastMessage = message;
            }
        }

        Map<String, Object> json() {
            return Json.object("error_class", errorClass, "errors", errors, "tools", (long) tools.size(),
                    "last_seen_at", lastSeenAt == null ? null : lastSeenAt.toInstant(), "last_message", lastMessage);
        }
    }

    /** Calls, errors and error rate of some per-tool rows (of one server when {@code server} is set). */
    private static Map<String, Object> sum(List<Map<String, Object>> tools, String server) {
        long calls = 0;
        long errors = 0;
        for (Map<String, Object> t : tools) {
            calls += ((Number) t.get("calls")).longValue();
            errors += ((Number) t.get("errors")).longValue();
        }
        Map<String, Object> m = server == null ? Json.object() : Json.object("server_name", server);
        m.put("calls", calls);
        m.put("errors", errors);
        m.put("error_rate", calls == 0 ? 0.0 : Math.round(errors * 10_000.0 / calls) / 10_000.0);
        return m;
    }

    private static void limitTo(List<?> list, int limit) {
        if (list.size() > limit) {
            list.subList(limit, list.size()).clear();
        }
    }
}
