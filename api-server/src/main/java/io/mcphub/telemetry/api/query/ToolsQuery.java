package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;
import io.mcphub.telemetry.model.ToolTotals;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/telemetry/tools}: per tool, calls, errors, error rate, most frequent error and
 * p50/p95/p99/max latency in the window. Every registered tool is listed (zero calls included) plus any
 * tool that was called. Percentiles are exact up to an hour, within 2 % beyond (see {@link Stats}).
 */
public final class ToolsQuery {
    static final List<String> SORTS = List.of("calls", "errors", "error_rate", "p50", "p95", "p99", "max", "name");

    public Object handle(ApiRequest req) {
        Params p = req.params("window", "since", "until", "server", "side", "sort", "limit");
        Window w = Window.from(p, req.now());
        String server = p.text("server");
        ExecutionSide chosen = p.named("side", ExecutionSide.class);
        String side = (chosen == null ? ExecutionSide.DOWNSTREAM : chosen).sqlName();
        String sort = p.choice("sort", SORTS);
        int limit = p.integer("limit", 500, 1, 5_000);
        String tenant = req.tenant();
        return req.read(c -> {
            Map<String, Map<String, Object>> tools = new LinkedHashMap<>();
            for (Map<String, Object> r : Rows.list(c, "SELECT server_name, tool_name, title FROM tools "
                    + "WHERE tenant_id = ? AND removed_at IS NULL AND (?::text IS NULL OR server_name = ?) "
                    + "ORDER BY server_name, tool_name", tenant, server, server)) {
                tools.put(key(r), Json.object("server_name", r.get("server_name"), "tool_name", r.get("tool_name"),
                        "title", r.get("title"), "registered", true, "calls", 0L, "errors", 0L, "error_rate", 0.0,
                        "latency_ms", Json.object("p50", null, "p95", null, "p99", null, "max", null),
                        "last_called_at", null));
            }
            // sums, percentiles and failures from one scan (Stats.toolWindow)
            for (Stats.ToolWindow tw : Stats.toolWindow(c, req.db(), tenant, w, side, server).values()) {
                Map<String, Object> r = tw.stats();
                Map<String, Object> t = tools.computeIfAbsent(key(r), k -> Json.object("server_name", r.get("server_name"),
                        "tool_name", r.get("tool_name"), "title", null, "registered", false));
                Map<String, Object> l = tw.latency() == null ? Map.of() : tw.latency();
                t.put("calls", r.get("calls"));
                t.put("errors", r.get("errors"));
                t.put("error_rate", r.get("error_rate"));
                t.put("latency_ms", Json.object("p50", l.get("p50_ms"), "p95", l.get("p95_ms"), "p99", l.get("p99_ms"),
                        "max", r.get("max_ms")));
                t.put("last_called_at", r.get("last_called_at"));
                String top = topError(tw.failures());
                if (top != null) {
                    t.put("top_error", top);
                }
            }
            List<Map<String, Object>> list = new ArrayList<>(tools.values());
            list.sort(order(sort));
            return Json.object("window", w.json(), "side", side, "tools", list.subList(0, Math.min(limit, list.size())));
        });
    }

    /** The error class with the most failures (whatever their outcome), the first by name on a tie; null: none. */
    private static String topError(Collection<ToolTotals.Failure> failures) {
        Map<String, Long> byClass = new TreeMap<>();
        failures.forEach(f -> byClass.merge(f.errorClass(), f.errors(), Long::sum));
        String top = null;
        long most = 0;
        for (Map.Entry<String, Long> e : byClass.entrySet()) {
            if (e.getValue() > most) {
                top = e.getKey();
                most = e.getValue();
            }
        }
        return top;
    }

    private static String key(Map<String, Object> r) {
        return r.get("server_name") + "\u0000" + r.get("tool_name");
    }

    private static Comparator<Map<String, Object>> order(String sort) {
        Comparator<Map<String, Object>> byName = Comparator.comparing((Map<String, Object> m) -> (String) m.get("server_name"))
                .thenComparing(m -> (String) m.get("tool_name"));
        if (sort == null || sort.equals("name")) {
            return sort == null ? Comparator.comparing((Map<String, Object> m) -> -num(m.get("calls"))).thenComparing(byName)
                    : byName;
        }
        return Comparator.comparing((Map<String, Object> m) -> -num(switch (sort) {
            case "p50", "p95", "p99", "max" -> ((Map<?, ?>) m.get("latency_ms")).get(sort);
            default -> m.get(sort);
        })).thenComparing(byName);
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : -1; // missing values sort last
    }
}
