package io.mcphub.telemetry.api;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ApiRequestRecord;
import io.mcphub.telemetry.model.EventRecord;
import io.mcphub.telemetry.model.HubInstanceRecord;
import io.mcphub.telemetry.model.LogLevel;
import io.mcphub.telemetry.model.LogRecord;
import io.mcphub.telemetry.model.MetricRecord;
import io.mcphub.telemetry.model.MetricScope;
import io.mcphub.telemetry.model.OAuthFlowRecord;
import io.mcphub.telemetry.model.OAuthOutcome;
import io.mcphub.telemetry.model.OAuthPhase;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.ServerStatusRecord;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.TenantRecord;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.model.ToolRecord;
import io.mcphub.telemetry.model.Transport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Known telemetry of two tenants, so every statistic has an exact expected value:
 * <ul>
 * <li>acme: servers github (connected for 2 h: 100 % uptime), files (connected 40 min ago, failed 10 min
 * ago: 75 % of the observed 40 min), search (disconnected);</li>
 * <li>github/search: 100 calls of 1..100 ms in the last 30 min, every tenth a tool_error
 * (p50 50.5, p95 95.05, p99 99.01, max 100 ms); github/create_issue: 5 calls of 500 ms, one an
 * IOException; files/read: 3 timeouts of 2 s; one more search call 3 h ago (outside 1 h, inside 24 h);</li>
 * <li>globex: server vault with 7 calls of tool "hidden".</li>
 * </ul>
 */
final class SampleFleet {
    /**
     * The moment the acme fleet was last made: each build is "now" again, so a hub heartbeat is recent
     * however long the test JVM ran other classes before (a hub is "up" only within 90 s of its beat).
     */
    private static volatile Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    static final String ACME = "acme";
    static final String GLOBEX = "globex";

    private SampleFleet() {
    }

    static Instant ago(Duration d) {
        return now.minus(d);
    }

    static List<TelemetryRecord> acme() {
        now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<TelemetryRecord> r = new ArrayList<>();
        r.add(new TenantRecord(ACME, "Acme"));
        r.add(new HubInstanceRecord(ACME, "hub-1", "demo-hub", "1.0.0", "host-a", 8080, 42L, "17", "0.1.0",
                ago(Duration.ofHours(3)), now, null, null));
        r.add(new ServerRecord(ACME, "github", "hub-1", Transport.STREAMABLE_HTTP, "https://mcp.example/mcp",
                ServerStatus.CONNECTED, "1.0", "2025-06-18", "{\"tools\":{}}", null, ago(Duration.ofHours(2))));
        r.add(new ServerStatusRecord(ACME, ago(Duration.ofHours(2)), "github", "hub-1", ServerStatus.CONNECTED, "initialized"));
        r.add(new ServerRecord(ACME, "files", "hub-1", Transport.STDIO, "node files.js", ServerStatus.CONNECTED,
                "2.0", "2025-06-18", null, null, ago(Duration.ofMinutes(40))));
        r.add(new ServerStatusRecord(ACME, ago(Duration.ofMinutes(40)), "files", "hub-1", ServerStatus.CONNECTED, "initialized"));
        r.add(new ServerRecord(ACME, "files", "hub-1", Transport.STDIO, "node files.js", ServerStatus.FAILED,
                "2.0", "2025-06-18", null, "process exited with 1", ago(Duration.ofMinutes(10))));
        r.add(new ServerStatusRecord(ACME, ago(Duration.ofMinutes(10)), "files", "hub-1", ServerStatus.FAILED, "process exited with 1"));
        r.add(new ServerRecord(ACME, "search", "hub-1", Transport.SSE, "http://search/sse", ServerStatus.DISCONNECTED,
                null, null, null, null, ago(Duration.ofMinutes(5))));
        r.add(new ToolRecord(ACME, "github", "search", "Search", "Searches code", "{}", ago(Duration.ofHours(2)), false));
        r.add(new ToolRecord(ACME, "github", "create_issue", null, "Creates an issue", "{}", ago(Duration.ofHours(2)), false));
        r.add(new ToolRecord(ACME, "files", "read", null, "Reads a file", "{}", ago(Duration.ofMinutes(40)), false));
        r.add(new ToolRecord(ACME, "files", "unused", null, "Never called", "{}", ago(Duration.ofMinutes(40)), false));
        for (int i = 1; i <= 100; i++) {
            boolean error = i % 10 == 0;
            r.add(new ToolExecutionRecord(ACME, "hub-1", "github", "search", Times.micros(ago(Duration.ofSeconds(1800 - i * 15L)), "startedAt"),
                    i * 1000L, error ? Outcome.TOOL_ERROR : Outcome.SUCCESS, null, error ? "rate limited at call " + i : null,
                    20, 300, "s-1", "r-" + i, null, null, ExecutionSide.DOWNSTREAM));
        }
        for (int i = 0; i < 5; i++) {
            boolean error = i == 4;
            r.add(new ToolExecutionRecord(ACME, "hub-1", "github", "create_issue", Times.micros(ago(Duration.ofMinutes(20 - i)), "startedAt"), 500_000L,
                    error ? Outcome.EXCEPTION : Outcome.SUCCESS, error ? "java.io.IOException" : null,
                    error ? "connection reset" : null, 50, 10, "s-1", "c-" + i, null, null, ExecutionSide.DOWNSTREAM));
        }
        for (int i = 0; i < 3; i++) {
            r.add(new ToolExecutionRecord(ACME, "hub-1", "files", "read", Times.micros(ago(Duration.ofMinutes(15 - i)), "startedAt"), 2_000_000L,
                    Outcome.TIMEOUT, null, "timed out after 2 s", 10, null, "s-2", "f-" + i, null, null, ExecutionSide.DOWNSTREAM));
        }
        r.add(new ToolExecutionRecord(ACME, "hub-1", "github", "search", Times.micros(ago(Duration.ofHours(3)), "startedAt"), 7_000L, Outcome.SUCCESS,
                null, null, 20, 300, "s-0", "old", null, null, ExecutionSide.DOWNSTREAM, 0x0af7651916cd43ddL,
                0x8448eb211c80319cL, 0xb7ad6b7169203331L, 0x00f067aa0ba902b7L));
        r.add(new EventRecord(ACME, ago(Duration.ofMinutes(10)), "hub-1", "server.status", "files", "{\"status\":\"failed\"}"));
        r.add(new LogRecord(ACME, ago(Duration.ofMinutes(9)), "hub-1", "files", LogLevel.ERROR, "server", "files crashed",
                "{\"exit\":1}"));
        for (int i = 0; i < 3; i++) {
            r.add(new OAuthFlowRecord(ACME, ago(Duration.ofMinutes(30 - i)), "flow-" + i, "hub-1", "github",
                    "authorization_code", OAuthPhase.TOKEN, OAuthOutcome.SUCCESS, 200_000L, null));
        }
        r.add(new OAuthFlowRecord(ACME, ago(Duration.ofMinutes(25)), "flow-9", "hub-1", "github", "authorization_code",
                OAuthPhase.TOKEN, OAuthOutcome.FAILURE, 100_000L, "invalid_grant"));
        for (int i = 0; i < 10; i++) {
            r.add(new ApiRequestRecord(ACME, ago(Duration.ofMinutes(30 - i)), "hub-1", "POST", "/api/servers/{name}/tools/{tool}/call",
                    i < 2 ? 500 : 200, 1_000L * (i + 1), 100L, 2_000L));
        }
        // older requests, in whole hours of the long windows (their hourly rollup)
        for (int i = 0; i < 3; i++) {
            r.add(new ApiRequestRecord(ACME, ago(Duration.ofHours(5).plusMinutes(i)), "hub-1", "GET", "/api/servers", 200,
                    50_000L + i, 80L, 900L));
            r.add(new ApiRequestRecord(ACME, ago(Duration.ofDays(3).plusMinutes(i)), "hub-1", "GET", "/api/servers", 503,
                    7_000L + i, 80L, 90L));
        }
        for (int i = 0; i < 3; i++) {
            r.add(new MetricRecord(ACME, ago(Duration.ofMinutes(3 - i)), "hub-1", MetricScope.JVM, "jvm.heap.used", 100.0 + i));
        }
        return r;
    }

    static List<TelemetryRecord> globex() {
        List<TelemetryRecord> r = new ArrayList<>();
        r.add(new TenantRecord(GLOBEX, "Globex"));
        r.add(new HubInstanceRecord(GLOBEX, "hub-g", "globex-hub", "2.0.0", "host-g", 9090, 7L, "17", "0.1.0",
                ago(Duration.ofHours(1)), now, null, null));
        r.add(new ServerRecord(GLOBEX, "vault", "hub-g", Transport.STDIO, "vault-mcp", ServerStatus.CONNECTED, "1", "2025-06-18",
                null, null, ago(Duration.ofHours(1))));
        r.add(new ToolRecord(GLOBEX, "vault", "hidden", null, null, "{}", ago(Duration.ofHours(1)), false));
        for (int i = 0; i < 7; i++) {
            r.add(new ToolExecutionRecord(GLOBEX, "hub-g", "vault", "hidden", Times.micros(ago(Duration.ofMinutes(10 + i)), "startedAt"), 3_000L,
                    Outcome.SUCCESS, null, null, 1, 1, null, null, null, null, ExecutionSide.DOWNSTREAM));
        }
        return r;
    }
}
