package io.mcphub.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.model.LogLevel;
import io.mcphub.telemetry.model.MetricScope;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.OAuthOutcome;
import io.mcphub.telemetry.model.OAuthPhase;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.Transport;
import io.mcphub.telemetry.sink.TelemetryStartupException;
import io.mcphub.telemetry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class McpHubTelemetryTest {

    private TestDatabase db;
    private McpHubTelemetry telemetry;

    static TelemetryConfig.Builder config(TestDatabase db) {
        return TelemetryConfig.builder(Map.of(), new Properties())
                .jdbcUrl(db.jdbcUrl(), db.adminUser(), db.adminPassword())
                .tenant("acme")
                .set(ConfigOption.FLUSH_INTERVAL_MS, "20")
                .set(ConfigOption.METRICS_INTERVAL_MS, "0");
    }

    @BeforeEach
    void start() {
        db = TestDatabase.create();
    }

    @AfterEach
    void stop() {
        if (telemetry != null) {
            telemetry.close();
        }
        db.close();
    }

    @Test
    void theOriginalLibrarysCallsLandInPostgres() throws Exception {
        telemetry = McpHubTelemetry.create(config(db).set(ConfigOption.CAPTURE_PAYLOADS, "true").build())
                .initialize(new HubInstance("demo-hub", "1.0.0", "hub-host", 8080, Map.of("env", "test")));
        assertTrue(telemetry.registerServer(new ServerRegistration("everything", Transport.STDIO,
                "node index.js --token=abc123", ServerStatus.CONNECTED, "2.0", "2025-06-18", Map.of("tools", Map.of()), null)));
        telemetry.registerTools("everything", List.of(ToolInfo.named("echo", "echoes"), ToolInfo.named("add", "adds")));
        telemetry.registerTools("everything", List.of(ToolInfo.named("echo", "echoes"), ToolInfo.named("sum", "sums")));
        Instant started = Instant.now();
        telemetry.logToolExecution(ToolExecution.failure("everything", "echo", started, Duration.ofMillis(12),
                        Outcome.EXCEPTION, "java.io.IOException", "upstream said: Authorization: Bearer eyJhbGciOi.sig")
                .withSizes(20, null).withIds("sess-1", "7")
                .withPayloads(Map.of("text", "hi", "password", "hunter2"), null));
        telemetry.log("everything", LogLevel.INFO, "server", "hello from server", Map.of("k", "v"));
        telemetry.logEvent("custom.thing", null, Map.of("x", 1));
        telemetry.logOAuthFlow(new OAuthFlow("flow-1", "github", "authorization_code", OAuthPhase.TOKEN,
                OAuthOutcome.FAILURE, Duration.ofMillis(300), "invalid_grant for code=SplxlOBeZQQYbYS6WxSbIA"));
        telemetry.logApiRequest("GET", "/api/servers", 200, Duration.ofMillis(3), 0L, 512L);
        telemetry.recordMetrics(MetricScope.PROCESS, Map.of("process.custom", 42));
        telemetry.updateServerStatus("everything", ServerStatus.DISCONNECTED, "process exited");
        assertTrue(telemetry.flush(Duration.ofSeconds(30)));

        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertEquals("demo-hub|1.0.0|hub-host|8080|test", one(st, "SELECT concat_ws('|', hub_name, hub_version, host, port, "
                    + "metadata->>'env') FROM hub_instances WHERE tenant_id = 'acme'"));
            assertEquals("disconnected|stdio|node index.js --token=[REDACTED]|2.0|process exited", one(st,
                    "SELECT concat_ws('|', status, transport, endpoint, server_version, last_error) FROM mcp_servers"));
            assertEquals("connected,disconnected", one(st, "SELECT string_agg(status, ',' ORDER BY occurred_at) FROM server_status_history"));
            assertEquals("add:removed,echo:live,sum:live", one(st, "SELECT string_agg(tool_name || ':' || "
                    + "CASE WHEN removed_at IS NULL THEN 'live' ELSE 'removed' END, ',' ORDER BY tool_name) FROM tools"));
            assertEquals("[\"sum\"]|[\"add\"]", one(st, "SELECT (payload->'added')::text || '|' || (payload->'removed')::text "
                    + "FROM events WHERE event_type = 'tools.changed' ORDER BY id DESC LIMIT 1"));
            String execution = one(st, "SELECT concat_ws('|', outcome, duration_us, error_class, error_message, argument_bytes, "
                    + "session_id, request_id, arguments) FROM tool_executions");
            assertTrue(execution.startsWith("exception|12000|java.io.IOException|upstream said: Authorization: Bearer [REDACTED]|20|sess-1|7|"),
                    execution);
            assertTrue(execution.contains("\"password\":\"[REDACTED]\"") && !execution.contains("hunter2"), execution);
            assertEquals("everything|info|hello from server|v", one(st, "SELECT concat_ws('|', server_name, level, message, "
                    + "context->>'k') FROM logs"));
            assertEquals("invalid_grant for code=[REDACTED]", one(st, "SELECT error FROM oauth_flows"));
            assertEquals("/api/servers|200|3000", one(st, "SELECT concat_ws('|', route, status, latency_us) FROM api_requests"));
            assertEquals("42", one(st, "SELECT value::int::text FROM infra_metrics WHERE metric = 'process.custom'"));
        }
        telemetry.close();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertEquals("true", one(st, "SELECT (stopped_at IS NOT NULL)::text FROM hub_instances"));
            assertTrue(Long.parseLong(one(st, "SELECT count(*) FROM infra_metrics WHERE scope = 'agent' "
                    + "AND metric = 'telemetry.ring.dropped'")) >= 1, "the sink reports its own counters");
        }
        telemetry = null;
    }

    @Test
    void payloadsAreNotStoredUnlessEnabled() throws Exception {
        telemetry = McpHubTelemetry.create(config(db).build()).initialize(HubInstance.of("hub", "1", 1));
        telemetry.logToolExecution(ToolExecution.success("s", "t", Instant.now(), Duration.ofMillis(1))
                .withPayloads(Map.of("text", "private"), Map.of("out", "private")));
        assertTrue(telemetry.flush(Duration.ofSeconds(30)));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertEquals("null", one(st, "SELECT coalesce(arguments, 'null') || coalesce(result, '') FROM tool_executions"));
        }
    }

    @Test
    void executionsWithoutPayloadsAreScrubbedAndPublishedWithoutAllocating() throws Exception {
        telemetry = McpHubTelemetry.create(config(db).set(ConfigOption.METRICS_INTERVAL_MS, "0").build())
                .initialize(HubInstance.of("hub", "1", 1));
        Instant started = Instant.parse("2026-01-02T03:04:05.123456Z");
        assertTrue(telemetry.logToolExecution(new ToolExecution("s", "t", started, Duration.ofMillis(5), Outcome.TOOL_ERROR,
                null, "denied for Authorization: Bearer eyJhbGciOi.sig", 10, -1, "sess", "r-1", null, null,
                ExecutionSide.SERVED)));
        ToolExecution prebuilt = ToolExecution.success("s", "prebuilt", started, Duration.ofMillis(2)).withSizes(3, 4);
        assertTrue(telemetry.logToolExecution(prebuilt));
        assertTrue(telemetry.flush(Duration.ofSeconds(30)));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertEquals("served|tool_error|5000|denied for Authorization: Bearer [REDACTED]|10||sess|r-1|true", one(st,
                    "SELECT concat_ws('|', side, outcome, duration_us, error_message, argument_bytes, coalesce(result_bytes::text, ''), "
                    + "session_id, request_id, (started_at = '2026-01-02T03:04:05.123456Z')::text) FROM tool_executions WHERE tool_name = 't'"));
            assertEquals("downstream|success|2000|3|4|true", one(st, "SELECT concat_ws('|', side, outcome, duration_us, "
                    + "argument_bytes, result_bytes, (started_at = '2026-01-02T03:04:05.123456Z')::text) FROM tool_executions "
                    + "WHERE tool_name = 'prebuilt'"));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            telemetry.logToolExecution(prebuilt);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 50_000; i++) {
            telemetry.logToolExecution(prebuilt);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4_096, "50,000 logToolExecution calls allocated " + allocated + " bytes on the calling thread");
    }

    @Test
    void callsBeforeInitializeAndBadArgumentsSayWhatIsWrong() {
        McpHubTelemetry t = McpHubTelemetry.create(config(db).build());
        IllegalStateException notStarted = assertThrows(IllegalStateException.class,
                () -> t.logEvent("x", null, Map.of()));
        assertTrue(notStarted.getMessage().contains("initialize"));
        telemetry = t.initialize(HubInstance.of("hub", "1", 1));
        IllegalArgumentException noTool = assertThrows(IllegalArgumentException.class, () -> telemetry.logToolExecution(
                ToolExecution.success("s", null, Instant.now(), Duration.ZERO)));
        assertEquals("toolName must not be null or blank", noTool.getMessage());
        assertThrows(IllegalArgumentException.class, () -> telemetry.logApiRequest("GET", "/", 42, Duration.ZERO, null, null));
        assertThrows(IllegalStateException.class, () -> telemetry.initialize(HubInstance.of("hub", "1", 1)));
    }

    @Test
    void anUnreachableDatabaseIsOneClearErrorNamingTheSettings() {
        TelemetryConfig unreachable = TelemetryConfig.builder(Map.of("POSTGRES_HOST", "127.0.0.1", "POSTGRES_PORT", "1"),
                new Properties()).build();
        TelemetryStartupException e = assertThrows(TelemetryStartupException.class,
                () -> McpHubTelemetry.create(unreachable).initialize(HubInstance.of("hub", "1", 1)));
        assertTrue(e.getMessage().contains("127.0.0.1:1") && e.getMessage().contains("POSTGRES_HOST")
                && e.getMessage().contains("POSTGRES_PORT"), e.getMessage());
    }

    @Test
    void aMissingDatabaseIsCreated() throws Exception {
        String name = db.name + "_new";
        try {
            telemetry = McpHubTelemetry.create(TelemetryConfig.builder(Map.of(), new Properties())
                    .jdbcUrl(TestDatabase.server().jdbcUrl(name), db.adminUser(), db.adminPassword())
                    .set(ConfigOption.METRICS_INTERVAL_MS, "0").build()).initialize(HubInstance.of("hub", "1", 1));
            assertTrue(telemetry.flush(Duration.ofSeconds(30)));
            telemetry.close();
            telemetry = null;
            try (Connection c = TestDatabase.server().connect(name); Statement st = c.createStatement()) {
                assertEquals("hub", one(st, "SELECT hub_name FROM hub_instances"));
            }
        } finally {
            try (Connection c = TestDatabase.server().connect("postgres"); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    static String one(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            String v = rs.getString(1);
            assertFalse(rs.next(), "one row expected: " + sql);
            return v;
        }
    }
}
