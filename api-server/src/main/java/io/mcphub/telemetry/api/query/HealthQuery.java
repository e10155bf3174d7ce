package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Rows;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/telemetry/health}: the tenant's hub instances (up: heartbeat within 90 s, the agent
 * beats every 30 s; stale: no beat since; stopped), servers by status, and the agent's own counters.
 * Overall {@code status}: {@code ok}, {@code degraded} (a hub is up but a server is failed or
 * disconnected), {@code down} (no hub up) or {@code unknown} (nothing recorded yet).
 */
public final class HealthQuery {
    /**
     * How far back the agents' own counters are looked for. Bound as a value, not {@code now() - ...}: a
     * stable expression cannot prune partitions when the query is planned, which then plans all of them.
     */
    private static final Duration AGENT_COUNTERS = Duration.ofMinutes(10);
    static final String HUBS = "SELECT instance_id, hub_name, hub_version, host, port, pid, jvm_version, agent_version, "
            + "started_at, last_seen_at, stopped_at, "
            + "CASE WHEN stopped_at IS NOT NULL THEN 'stopped' "
            + "     WHEN last_seen_at > now() - interval '90 seconds' THEN 'up' ELSE 'stale' END AS state "
            + "FROM hub_instances WHERE tenant_id = ? AND (stopped_at IS NULL OR last_seen_at > now() - interval '24 hours') "
            + "ORDER BY started_at DESC LIMIT 100";

    public Object handle(ApiRequest req) {
        req.params();
        return req.read(c -> health(c, req.tenant(), req.now()));
    }

    static Map<String, Object> health(Connection c, String tenant, Instant now) throws SQLException {
        List<Map<String, Object>> hubs = Rows.list(c, HUBS, tenant);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (var r : Rows.list(c, "SELECT status, count(*) AS n FROM mcp_servers WHERE tenant_id = ? GROUP BY status", tenant)) {
            byStatus.put((String) r.get("status"), ((Number) r.get("n")).longValue());
        }
        Map<String, Object> servers = serverCounts(byStatus);
        var agent = Rows.list(c, "SELECT DISTINCT ON (instance_id, metric) instance_id, metric, value, sampled_at "
                + "FROM infra_metrics WHERE tenant_id = ? AND scope = 'agent' AND sampled_at > ? "
                + "ORDER BY instance_id, metric, sampled_at DESC", tenant, now.minus(AGENT_COUNTERS));
        return Json.object("status", status(hubs, servers), "hubs_up", hubsUp(hubs), "hubs", hubs, "servers", servers,
                "agent_counters", agent, "database", Json.object("reachable", true, "time", Rows.one(c, "SELECT now() AS t").get("t")));
    }

    /** Hub instances in the {@code up} state among the rows of {@link #HUBS}. */
    static long hubsUp(List<Map<String, Object>> hubs) {
        return hubs.stream().filter(h -> "up".equals(h.get("state"))).count();
    }

    /** The overall status from the rows of {@link #HUBS} and the {@link #serverCounts}. */
    static String status(List<Map<String, Object>> hubs, Map<String, Object> servers) {
        long down = ((Number) servers.get("failed")).longValue() + ((Number) servers.get("disconnected")).longValue();
        return hubs.isEmpty() ? "unknown" : hubsUp(hubs) == 0 ? "down" : down > 0 ? "degraded" : "ok";
    }

    /** Servers by status, every status present (0 where none), and their {@code total}. */
    static Map<String, Object> serverCounts(Map<String, Long> byStatus) {
        Map<String, Object> counts = new LinkedHashMap<>();
        long total = 0;
        for (ServerStatus s : ServerStatus.values()) {
            counts.put(s.sqlName(), 0L);
        }
        for (var e : byStatus.entrySet()) {
            counts.put(e.getKey(), e.getValue());
            total += e.getValue();
        }
        counts.put("total", total);
        return counts;
    }
}
