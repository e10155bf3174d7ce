package io.mcphub.telemetry.api.prometheus;

import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.SqlNamed;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.TelemetryDatabase;
import io.mcphub.telemetry.api.live.EventStream;
import io.mcphub.telemetry.api.live.FeedHub;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /metrics}: the tenant's telemetry in the Prometheus text format. Tool-call counters, the
 * latency histograms (ours and the OpenTelemetry MCP convention's, {@link SemconvExposition}) and session
 * durations count what this server has seen since the tenant was first scraped (from the live feed);
 * server, hub and infrastructure gauges are read from the database at scrape time.
 */
public final class PrometheusExporter {
    private static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    /** The metrics sampled this recently are exported (bound as a value, so the partitions are pruned when planned). */
    private static final Duration LATEST_INFRA = Duration.ofMinutes(5);

    private final TelemetryDatabase db;
    private final FeedHub hub;
    private final EventStream stream;
    private final Map<String, TenantSeries> counters = new ConcurrentHashMap<>();

    public PrometheusExporter(TelemetryDatabase db, FeedHub hub, EventStream stream) {
        this.db = db;
        this.hub = hub;
        this.stream = stream;
    }

    private TenantSeries counters(String tenant) {
        forgetUnscraped();
        return counters.computeIfAbsent(tenant, t -> {
            TenantSeries c = new TenantSeries();
            hub.subscribe(t, c);
            return c;
        });
    }

    private void forgetUnscraped() {
        long now = System.nanoTime();
        counters.entrySet().removeIf(e -> {
            boolean stale = now - e.getValue().calls.lastScrapeNanos > FORGET_AFTER.toNanos();
            if (stale) {
                hub.unsubscribe(e.getKey(), e.getValue());
            }
            return stale;
        });
    }

    public String scrape(String tenant) {
        TenantSeries t = counters(tenant);
        ExecutionCounters c = t.calls;
        c.lastScrapeNanos = System.nanoTime();
        PromText out = new PromText();
        writeCounters(out, tenant, c);
        db.read(tenant, conn -> {
            List<Map<String, Object>> servers = servers(conn, tenant);
            SemconvExposition.write(out, tenant, t, servers);
            writeGauges(out, tenant, conn, servers);
            return null;
        });
        // the tenant's own streams only: how many others watch is no business of theirs
        out.family("mcp_telemetry_api_stream_clients", "gauge", "Live stream (SSE) clients of the tenant connected to this API server.")
                .sample("mcp_telemetry_api_stream_clients", stream.activeClients(tenant), "tenant", tenant);
        out.family("mcp_telemetry_api_stream_dropped_total", "counter",
                        "Live stream clients of the tenant dropped for reading too slowly.")
                .sample("mcp_telemetry_api_stream_dropped_total", stream.droppedSlow(tenant), "tenant", tenant);
        out.family("mcp_telemetry_api_counting_since_seconds", "gauge",
                        "Unix time from which this server counts the tenant's tool calls (counter start).")
                .sample("mcp_telemetry_api_counting_since_seconds", c.startedMillis / 1000.0, "tenant", tenant);
        return out.toString();
    }

    private static void writeCounters(PromText out, String tenant, ExecutionCounters c) {
        out.family("mcp_tool_calls_total", "counter", "Tool calls (tools/call) recorded, by outcome.");
        c.series.forEach((k, s) -> {
            synchronized (s) {
                for (int i = 0; i < ExecutionCounters.OUTCOMES.size(); i++) {
                    out.sample("mcp_tool_calls_total", s.outcomes[i], "tenant", tenant, "server", k.server(), "tool", k.tool(),
                            "side", k.side(), "outcome", ExecutionCounters.OUTCOMES.get(i));
                }
            }
        });
        out.family("mcp_tool_call_duration_seconds", "histogram", "Duration of tool calls in seconds.");
        c.series.forEach((k, s) -> {
            synchronized (s) {
                for (int i = 0; i < ExecutionCounters.BUCKETS.length; i++) {
                    out.sample("mcp_tool_call_duration_seconds_bucket", s.buckets[i], "tenant", tenant, "server", k.server(),
                            "tool", k.tool(), "side", k.side(), "le", PromText.number(ExecutionCounters.BUCKETS[i]));
                }
                out.sample("mcp_tool_call_duration_seconds_bucket", s.count, "tenant", tenant, "server", k.server(),
                        "tool", k.tool(), "side", k.side(), "le", "+Inf");
                out.sample("mcp_tool_call_duration_seconds_sum", s.sumSeconds, "tenant", tenant, "server", k.server(),
                        "tool", k.tool(), "side", k.side());
                out.sample("mcp_tool_call_duration_seconds_count", s.count, "tenant", tenant, "server", k.server(),
                        "tool", k.tool(), "side", k.side());
            }
        });
        out.family("mcp_telemetry_api_series_dropped_total", "counter",
                        "Tool calls counted in the server=\"_overflow\" series because the per-tenant series limit was reached.")
                .sample("mcp_telemetry_api_series_dropped_total", c.droppedSeries.sum(), "tenant", tenant);
    }

    private static List<Map<String, Object>> servers(Connection c, String tenant) throws SQLException {
        return Rows.list(c, "SELECT s.server_name, s.status, s.transport, s.protocol_version, "
                + "(SELECT count(*) FROM tools t WHERE t.tenant_id = s.tenant_id AND t.server_name = s.server_name "
                + "AND t.removed_at IS NULL) AS tools, "
                + "extract(epoch FROM now() - s.connected_since)::double precision AS connected_s "
                + "FROM mcp_servers s WHERE s.tenant_id = ? ORDER BY s.server_name", tenant);
    }

    private static void writeGauges(PromText out, String tenant, Connection c, List<Map<String, Object>> servers)
            throws SQLException {
        out.family("mcp_servers", "gauge", "MCP servers known to the tenant's hubs, by status.");
        for (String status : SqlNamed.names(ServerStatus.class)) {
            long n = servers.stream().filter(s -> status.equals(s.get("status"))).count();
            out.sample("mcp_servers", n, "tenant", tenant, "status", status);
        }
        out.family("mcp_server_up", "gauge", "1 when the MCP server is connected, else 0.");
        for (var s : servers) {
            out.sample("mcp_server_up", ServerStatus.CONNECTED.sqlName().equals(s.get("status")) ? 1 : 0, "tenant", tenant,
                    "server", (String) s.get("server_name"), "transport", (String) s.get("transport"));
        }
        out.family("mcp_server_tools", "gauge", "Tools the MCP server currently lists.");
        for (var s : servers) {
            out.sample("mcp_server_tools", ((Number) s.get("tools")).doubleValue(), "tenant", tenant,
                    "server", (String) s.get("server_name"));
        }
        out.family("mcp_server_connected_seconds", "gauge", "Seconds since the MCP server's current connection was made.");
        for (var s : servers) {
            if (s.get("connected_s") instanceof Number n) {
                out.sample("mcp_server_connected_seconds", n.doubleValue(), "tenant", tenant, "server", (String) s.get("server_name"));
            }
        }
        var hubs = Rows.list(c, "SELECT instance_id, hub_name, stopped_at IS NOT NULL AS stopped, "
                + "extract(epoch FROM now() - last_seen_at)::double precision AS age_s FROM hub_instances "
                + "WHERE tenant_id = ? AND (stopped_at IS NULL OR last_seen_at > now() - interval '24 hours')", tenant);
        out.family("mcp_hub_instances", "gauge", "Hub processes by state (up: heartbeat within 90 s).");
        long up = hubs.stream().filter(h -> !(Boolean) h.get("stopped") && ((Number) h.get("age_s")).doubleValue() < 90).count();
        long stopped = hubs.stream().filter(h -> (Boolean) h.get("stopped")).count();
        out.sample("mcp_hub_instances", up, "tenant", tenant, "state", "up");
        out.sample("mcp_hub_instances", hubs.size() - up - stopped, "tenant", tenant, "state", "stale");
        out.sample("mcp_hub_instances", stopped, "tenant", tenant, "state", "stopped");
        out.family("mcp_hub_heartbeat_age_seconds", "gauge", "Seconds since the hub process last reported.");
        for (var h : hubs) {
            if (!(Boolean) h.get("stopped")) {
                out.sample("mcp_hub_heartbeat_age_seconds", ((Number) h.get("age_s")).doubleValue(), "tenant", tenant,
                        "instance", (String) h.get("instance_id"), "hub", (String) h.get("hub_name"));
            }
        }
        var infra = Rows.list(c, "SELECT DISTINCT ON (instance_id, scope, metric) instance_id, scope, metric, value "
                + "FROM infra_metrics WHERE tenant_id = ? AND sampled_at > ? "
                + "ORDER BY instance_id, scope, metric, sampled_at DESC", tenant, Instant.now().minus(LATEST_INFRA));
        out.family("mcp_hub_infra_metric", "gauge",
                "Latest sampled JVM/process/system/container/agent metric of each hub instance (last 5 minutes).");
        for (var m : infra) {
            out.sample("mcp_hub_infra_metric", ((Number) m.get("value")).doubleValue(), "tenant", tenant,
                    "instance", (String) m.get("instance_id"), "scope", (String) m.get("scope"), "metric", (String) m.get("metric"));
        }
    }
}
