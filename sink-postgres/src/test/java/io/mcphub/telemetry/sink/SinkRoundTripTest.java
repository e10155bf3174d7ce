package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.ToolCall;
import io.mcphub.telemetry.model.Times;
import static io.mcphub.telemetry.sink.SinkTestSupport.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.ApiRequestRecord;
import io.mcphub.telemetry.model.EventRecord;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.HubInstanceRecord;
import io.mcphub.telemetry.model.LogLevel;
import io.mcphub.telemetry.model.LogRecord;
import io.mcphub.telemetry.model.MetricRecord;
import io.mcphub.telemetry.model.MetricScope;
import io.mcphub.telemetry.model.OAuthFlowRecord;
import io.mcphub.telemetry.model.OAuthOutcome;
import io.mcphub.telemetry.model.OAuthPhase;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.PromptRecord;
import io.mcphub.telemetry.model.ResourceRecord;
import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.ServerStatusRecord;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.schema.TenantLogins;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.TenantRecord;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.model.ToolDigest;
import io.mcphub.telemetry.model.ToolRecord;
import io.mcphub.telemetry.model.ToolTotals;
import io.mcphub.telemetry.model.Transport;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Every layout's real server: what the sink writes reads back the same on each. */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class SinkRoundTripTest {

    @Parameter
    StorageLayout layout;

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private TestDatabase db;
    private PostgresTelemetrySink sink;

    @BeforeEach
    void start() {
        db = TestDatabase.create(layout);
        sink = PostgresTelemetrySink.start(SinkTestSupport.settings().layout(layout).build(), SinkTestSupport.target(db));
    }

    @AfterEach
    void stop() {
        sink.close();
        db.close();
    }

    private void publishAll(TelemetryRecord... records) {
        for (TelemetryRecord r : records) {
            assertTrue(sink.publish(r), "accepted: " + r);
        }
        assertTrue(sink.flush(Duration.ofSeconds(30)));
    }

    @Test
    void everyRecordTypeLandsInItsTable() throws Exception {
        publishAll(
                new TenantRecord("acme", "Acme Corp"),
                new HubInstanceRecord("acme", "hub-1", "demo-hub", "1.2.3", "host-a", 8080, 4242L, "17.0.15", "0.1.0",
                        T0, T0, null, "{\"region\":\"eu\"}"),
                new ServerRecord("acme", "everything", "hub-1", Transport.STDIO, "node index.js stdio",
                        ServerStatus.CONNECTED, "2.0", "2025-06-18", "{\"tools\":{}}", null, T0),
                new ServerStatusRecord("acme", T0, "everything", "hub-1", ServerStatus.CONNECTED, "initialized"),
                new ToolRecord("acme", "everything", "echo", "Echo", "Echoes input", "{\"type\":\"object\"}", T0, false),
                new ResourceRecord("acme", "everything", "test://static/1", "Resource 1", "first", "text/plain", T0, false),
                new PromptRecord("acme", "everything", "simple_prompt", "A prompt", "[{\"name\":\"x\"}]", T0, false),
                new ToolExecutionRecord("acme", "hub-1", "everything", "echo", Times.micros(T0, "startedAt"), 1_234, Outcome.TOOL_ERROR,
                        "McpError", "bad input", 17, 42, "session-9", "req-3", null, null, ExecutionSide.DOWNSTREAM,
                        0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L, 0x00f067aa0ba902b7L),
                new EventRecord("acme", T0, "hub-1", "tools.changed", "everything", "{\"added\":[\"echo\"]}"),
                new LogRecord("acme", T0, "hub-1", "everything", LogLevel.WARNING, "server", "careful", "{\"k\":1}"),
                new OAuthFlowRecord("acme", T0, "flow-1", "hub-1", "github", "authorization_code", OAuthPhase.TOKEN,
                        OAuthOutcome.SUCCESS, 250_000L, null),
                new ApiRequestRecord("acme", T0, "hub-1", "POST", "/api/servers/{name}/tools/{tool}/call", 200, 5_321,
                        120L, 2_048L),
                new MetricRecord("acme", T0, "hub-1", MetricScope.JVM, "jvm.heap.used_bytes", 1.5e8));

        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertEquals("Acme Corp", one(st, "SELECT display_name FROM tenants WHERE tenant_id = 'acme'"));
            assertEquals("demo-hub|1.2.3|8080|4242|eu", one(st, "SELECT concat_ws('|', hub_name, hub_version, port, pid, "
                    + "metadata->>'region') FROM hub_instances"));
            assertEquals("stdio|connected|2025-06-18|t", one(st, "SELECT concat_ws('|', transport, status, protocol_version, "
                    + "connected_since = last_connected_at) FROM mcp_servers"));
            assertEquals("connected|initialized", one(st, "SELECT status || '|' || detail FROM server_status_history"));
            assertEquals("Echo|object", one(st, "SELECT title || '|' || (input_schema->>'type') FROM tools"));
            assertEquals("text/plain", one(st, "SELECT mime_type FROM resources"));
            assertEquals("x", one(st, "SELECT arguments->0->>'name' FROM prompts"));
            assertEquals("tool_error|1234|McpError|bad input|17|42|session-9|req-3", one(st, "SELECT concat_ws('|', outcome, "
                    + "duration_us, error_class, error_message, argument_bytes, result_bytes, session_id, request_id) FROM tool_executions"));
            assertEquals("0af7651916cd43dd8448eb211c80319c|b7ad6b7169203331|00f067aa0ba902b7", one(st, "SELECT concat_ws('|', "
                    + "trace_id, span_id, parent_span_id) FROM tool_executions"));
            try (PreparedStatement ps = c.prepareStatement("SELECT started_at FROM tool_executions")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(T0, rs.getTimestamp(1).toInstant(), "microsecond timestamps survive");
                }
            }
            assertEquals("tools.changed|echo", one(st, "SELECT event_type || '|' || (payload->'added'->>0) FROM events"));
            assertEquals("warning|careful|1", one(st, "SELECT concat_ws('|', level, message, context->>'k') FROM logs"));
            assertEquals("authorization_code|token|success|250000", one(st, "SELECT concat_ws('|', grant_type, phase, outcome, duration_us) FROM oauth_flows"));
            assertEquals("POST|/api/servers/{name}/tools/{tool}/call|200|5321|120|2048", one(st, "SELECT concat_ws('|', method, route, "
                    + "status, latency_us, request_bytes, response_bytes) FROM api_requests"));
            assertEquals("150000000", one(st, "SELECT value::bigint::text FROM infra_metrics WHERE scope = 'jvm'"));
            assertEquals(13, count(c, "SELECT sum(row_count) FROM ingest_batches WHERE tenant_id = 'acme'"));
        }
        assertEquals(13, sink.stats().written());
    }

    /** The other way in: a tenant's own login stages every table and moves the rows under its policies. */
    @Test
    void aTenantsLoginWritesEveryRecordTypeThroughStagingAndNoOtherTenantsRow() throws Exception {
        try (Connection c = db.connect()) {
            TenantLogins.ensure(c, "acme", "acme-pw");
        }
        SinkSettings settings = SinkTestSupport.settings().layout(layout).tenant("acme").build();
        try (PostgresTelemetrySink asTenant = PostgresTelemetrySink.start(settings,
                new DatabaseTarget(db.jdbcUrl(), "mcpt_acme", "acme-pw", null))) {
            List<TelemetryRecord> records = List.of(
                    new TenantRecord("acme", "Acme Corp"),
                    new HubInstanceRecord("acme", "hub-1", "demo-hub", "1.2.3", "host-a", 8080, 4242L, "17", "0.1.0",
                            T0, T0, null, null),
                    new ServerRecord("acme", "everything", "hub-1", Transport.STDIO, "node index.js stdio",
                            ServerStatus.CONNECTED, "2.0", "2025-06-18", "{}", null, T0),
                    new ServerStatusRecord("acme", T0, "everything", "hub-1", ServerStatus.CONNECTED, "initialized"),
                    new ToolRecord("acme", "everything", "echo", "Echo", "Echoes input", "{\"type\":\"object\"}", T0, false),
                    new ResourceRecord("acme", "everything", "test://static/1", "Resource 1", "first", "text/plain", T0, false),
                    new PromptRecord("acme", "everything", "simple_prompt", "A prompt", "[]", T0, false),
                    new ToolExecutionRecord("acme", "hub-1", "everything", "echo", Times.micros(T0, "startedAt"), 1_234,
                            Outcome.TOOL_ERROR, "McpError", "bad input", 17, 42, "s", "r", null, null, ExecutionSide.DOWNSTREAM),
                    new EventRecord("acme", T0, "hub-1", "tools.changed", "everything", "{}"),
                    new LogRecord("acme", T0, "hub-1", "everything", LogLevel.WARNING, "server", "careful", null),
                    new OAuthFlowRecord("acme", T0, "flow-1", "hub-1", "github", "authorization_code", OAuthPhase.TOKEN,
                            OAuthOutcome.SUCCESS, 250_000L, null),
                    new ApiRequestRecord("acme", T0, "hub-1", "GET", "/api/health", 200, 5, null, null),
                    new MetricRecord("acme", T0, "hub-1", MetricScope.JVM, "jvm.heap.used_bytes", 1.5e8));
            for (TelemetryRecord r : records) {
                assertTrue(asTenant.publish(r));
            }
            // a record naming another tenant, as a tampered hub would send it: its batch is refused by the policy
            assertTrue(asTenant.publish(new MetricRecord("globex", T0, "hub-1", MetricScope.JVM, "stolen", 1)));
            assertTrue(asTenant.flush(Duration.ofSeconds(30)));
            assertEquals(records.size(), asTenant.stats().written());
            assertEquals(1, asTenant.stats().rejected());
        }
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String table : List.of("tenants", "hub_instances", "mcp_servers", "server_status_history", "tools",
                    "resources", "prompts", "tool_executions", "events", "logs", "oauth_flows", "api_requests")) {
                assertEquals(1, count(c, "SELECT count(*) FROM " + table + " WHERE tenant_id = 'acme'"), table);
            }
            assertEquals(0, count(c, "SELECT count(*) FROM infra_metrics WHERE tenant_id = 'globex'"));
            assertEquals("1|1", one(st, "SELECT concat_ws('|', sum(calls), sum(errors)) FROM rollup_tool_1h WHERE tenant_id = 'acme'"));
            // the OAuth step's day, written with it through the tenant's staging
            assertEquals("1|1|0|0|250000|1|{flow-1}", one(st, "SELECT concat_ws('|', steps, success, failure, pending, duration_us, "
                    + "durations, flow_ids) FROM rollup_oauth_1d WHERE tenant_id = 'acme'"));
        }
    }

    /** A day's OAuth steps over several batches: increments per batch, merged by compaction into one row of distinct ids. */
    @Test
    void oauthStepsRollUpPerDayWithTheirFlowsOnce() throws Exception {
        Instant day = T0.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        publishAll(new TenantRecord("a", "A"));
        for (int batch = 0; batch < 3; batch++) {
            for (int i = 0; i < 4; i++) {
                // flows 0-5, each seen in two batches; a step without a duration; one flow on the next day too
                String flow = "flow-" + ((batch * 4 + i) % 6);
                sink.publish(new OAuthFlowRecord("a", day.plusSeconds(3_600L * batch + i), flow, "hub-1", "github",
                        "authorization_code", i == 0 ? OAuthPhase.START : OAuthPhase.TOKEN,
                        i == 0 ? OAuthOutcome.PENDING : i == 3 ? OAuthOutcome.FAILURE : OAuthOutcome.SUCCESS,
                        i == 0 ? null : 1_000L * (i + 1), null));
            }
            assertTrue(sink.flush(Duration.ofSeconds(30)));
        }
        sink.publish(new OAuthFlowRecord("a", day.plus(Duration.ofDays(1)), "flow-0", "hub-1", "github",
                "authorization_code", OAuthPhase.REFRESH, OAuthOutcome.SUCCESS, 7L, null));
        assertTrue(sink.flush(Duration.ofSeconds(30)));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertTrue(count(c, "SELECT count(*) FROM rollup_oauth_1d WHERE bucket = '" + day + "'") >= 2, "one increment a batch");
            st.execute("SELECT mcp_telemetry_compact_rollups('a')");
            String raw = one(st, "SELECT concat_ws('|', count(*), count(*) FILTER (WHERE outcome = 'success'), "
                    + "count(*) FILTER (WHERE outcome = 'failure'), count(*) FILTER (WHERE outcome = 'pending'), sum(duration_us), "
                    + "count(duration_us), array_agg(DISTINCT flow_id ORDER BY flow_id)) FROM oauth_flows "
                    + "WHERE tenant_id = 'a' AND occurred_at >= '" + day + "' AND occurred_at < '" + day.plus(Duration.ofDays(1)) + "'");
            assertEquals("12|6|3|3|27000|9|{flow-0,flow-1,flow-2,flow-3,flow-4,flow-5}", raw);
            assertEquals(raw + "|t", one(st, "SELECT concat_ws('|', steps, success, failure, pending, duration_us, durations, "
                    + "(SELECT array_agg(x ORDER BY x) FROM unnest(flow_ids) x), compacted) FROM rollup_oauth_1d "
                    + "WHERE tenant_id = 'a' AND bucket = '" + day + "'"), "one row a day, each flow once");
            assertEquals("1|{flow-0}", one(st, "SELECT concat_ws('|', sum(steps), string_agg(flow_ids::text, ',')) FROM rollup_oauth_1d "
                    + "WHERE tenant_id = 'a' AND bucket = '" + day.plus(Duration.ofDays(1)) + "'"));
            // an id the COPY must carry as the raw column does: a NUL replaced, non-ASCII and a lone surrogate
            String hostile = "flöw-\u0000-\uD83D\uDE00-\uD800";
            publishAll(new OAuthFlowRecord("a", day.plus(Duration.ofDays(1)).plusSeconds(5), hostile, "hub-1", "github",
                    "authorization_code", OAuthPhase.START, OAuthOutcome.PENDING, null, null));
            st.execute("SELECT mcp_telemetry_compact_rollups('a')");
            assertEquals(one(st, "SELECT flow_id FROM oauth_flows WHERE tenant_id = 'a' AND phase = 'start' AND occurred_at >= '"
                    + day.plus(Duration.ofDays(1)) + "'"), one(st, "SELECT id FROM rollup_oauth_1d, unnest(flow_ids) id "
                    + "WHERE tenant_id = 'a' AND bucket = '" + day.plus(Duration.ofDays(1)) + "' AND id <> 'flow-0'"));
        }
    }

    @Test
    void hostileStringsSurviveCopyExactlyExceptNulAndLoneSurrogates() throws Exception {
        List<String> hostile = List.of(
                "tab\there", "new\nline", "carriage\rreturn", "back\\slash", "\\N", "\\.", "'; DROP TABLE tool_executions; --",
                "emoji 😀 中文 é", "control \u0001\u0007\u001F chars", "ends with backslash \\", "\u000B\f\b",
                "x".repeat(5 * 1024 * 1024) + "\tend");
        for (int i = 0; i < hostile.size(); i++) {
            sink.publish(new ToolExecutionRecord("t", "hub", "srv", "tool-" + i, Times.micros(T0, "startedAt"), i, Outcome.EXCEPTION,
                    "E", hostile.get(i), null, null, null, null, null, null, ExecutionSide.DOWNSTREAM));
        }
        sink.publish(new ToolExecutionRecord("t", "hub", "srv", "nul", Times.micros(T0, "startedAt"), 0, Outcome.EXCEPTION, "E",
                "a\u0000b\uD83Dc", null, null, null, null, null, null, ExecutionSide.DOWNSTREAM));
        assertTrue(sink.flush(Duration.ofSeconds(60)));
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT error_message FROM tool_executions WHERE tool_name = ?")) {
            for (int i = 0; i < hostile.size(); i++) {
                ps.setString(1, "tool-" + i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(hostile.get(i), rs.getString(1), "value " + i + " byte-for-byte");
                }
            }
            ps.setString(1, "nul");
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("a\u2400b\uFFFDc", rs.getString(1));
            }
        }
    }

    @Test
    void serverStateKeepsConnectAndDisconnectTimesAcrossAndWithinBatches() throws Exception {
        Instant t1 = T0;
        Instant t2 = T0.plusSeconds(10);
        Instant t3 = T0.plusSeconds(20);
        publishAll(new ServerRecord("a", "s", "h", Transport.SSE, "http://x/sse", ServerStatus.CONNECTED, "1", "p", null, null, t1));
        // a disconnect and a reconnect in one batch
        publishAll(
                new ServerRecord("a", "s", "h", Transport.SSE, null, ServerStatus.DISCONNECTED, null, null, null, "EOF", t2),
                new ServerRecord("a", "s", "h", Transport.SSE, null, ServerStatus.CONNECTED, null, null, null, null, t3));
        // a stale report must not overwrite the newer state
        publishAll(new ServerRecord("a", "s", "h", Transport.SSE, null, ServerStatus.FAILED, null, null, null, "late", t2));
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, endpoint, first_seen_at, last_connected_at, "
                     + "last_disconnected_at, connected_since, last_error, server_version FROM mcp_servers")) {
            assertTrue(rs.next());
            assertEquals("connected", rs.getString(1));
            assertEquals("http://x/sse", rs.getString(2), "null endpoint keeps the known one");
            assertEquals(t1, rs.getTimestamp(3).toInstant());
            assertEquals(t3, rs.getTimestamp(4).toInstant());
            assertEquals(t2, rs.getTimestamp(5).toInstant());
            assertEquals(t3, rs.getTimestamp(6).toInstant(), "uptime counts from the reconnect");
            assertEquals("EOF", rs.getString(7));
            assertEquals("1", rs.getString(8));
            assertFalse(rs.next());
        }
    }

    @Test
    void aServerSharedByTwoHubsStaysConnectedUntilTheLastOneDisconnects() throws Exception {
        String state = "SELECT status, connected_since, last_disconnected_at, array_to_string(connected_instances, ',') "
                + "FROM mcp_servers WHERE server_name = 'shared'";
        publishAll(new ServerRecord("a", "shared", "hub-a", Transport.STDIO, "npx srv", ServerStatus.CONNECTED, "1", "p",
                null, null, T0));
        // hub B's clock is behind hub A's: its reports count all the same
        publishAll(new ServerRecord("a", "shared", "hub-b", Transport.STDIO, "npx srv", ServerStatus.CONNECTED, "1", "p",
                null, null, T0.minusSeconds(5)));
        publishAll(new ServerRecord("a", "shared", "hub-a", Transport.STDIO, null, ServerStatus.DISCONNECTED, null, null,
                null, "hub stopped", T0.plusSeconds(10)));
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(state)) {
            assertTrue(rs.next());
            assertEquals("connected", rs.getString(1), "hub B still holds it");
            assertEquals(T0, rs.getTimestamp(2).toInstant(), "uptime runs on from the first connect");
            assertEquals(null, rs.getTimestamp(3), "not the server's disconnect");
            assertEquals("hub-b", rs.getString(4));
        }
        // B reconnects within one batch: A's disconnect did not end the server's connection, nor does this
        publishAll(new ServerRecord("a", "shared", "hub-a", Transport.STDIO, null, ServerStatus.CONNECTED, null, null,
                null, null, T0.plusSeconds(15)));
        publishAll(new ServerRecord("a", "shared", "hub-b", Transport.STDIO, null, ServerStatus.DISCONNECTED, null, null,
                null, "EOF", T0.plusSeconds(16)),
                new ServerRecord("a", "shared", "hub-b", Transport.STDIO, null, ServerStatus.CONNECTED, null, null,
                null, null, T0.plusSeconds(17)));
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(state)) {
            assertTrue(rs.next());
            assertEquals("connected", rs.getString(1));
            assertEquals(T0, rs.getTimestamp(2).toInstant());
            assertEquals("hub-a,hub-b", rs.getString(4));
        }
        publishAll(new ServerRecord("a", "shared", "hub-a", Transport.STDIO, null, ServerStatus.DISCONNECTED, null, null,
                null, "hub stopped", T0.plusSeconds(20)));
        publishAll(new ServerRecord("a", "shared", "hub-b", Transport.STDIO, null, ServerStatus.FAILED, null, null,
                null, "exited", T0.plusSeconds(25)));
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(state)) {
            assertTrue(rs.next());
            assertEquals("failed", rs.getString(1), "the last hub gone: the server is down");
            assertEquals(null, rs.getTimestamp(2));
            assertEquals(T0.plusSeconds(25), rs.getTimestamp(3).toInstant());
            assertEquals("", rs.getString(4));
        }
    }

    @Test
    void toolsAreAddedSeenAgainAndMarkedRemoved() throws Exception {
        publishAll(new ToolRecord("a", "s", "echo", null, "v1", null, T0, false),
                new ToolRecord("a", "s", "add", null, "adds", null, T0, false));
        publishAll(new ToolRecord("a", "s", "echo", null, "v2", null, T0.plusSeconds(5), false),
                new ToolRecord("a", "s", "add", null, null, null, T0.plusSeconds(5), true));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertEquals("v2", one(st, "SELECT description FROM tools WHERE tool_name = 'echo' AND removed_at IS NULL "
                    + "AND first_seen_at < last_seen_at"));
            assertEquals("adds", one(st, "SELECT description FROM tools WHERE tool_name = 'add' AND removed_at IS NOT NULL "
                    + "AND first_seen_at = last_seen_at"));
        }
        publishAll(new ToolRecord("a", "s", "add", null, null, null, T0.plusSeconds(9), false));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertEquals(0, count(c, "SELECT count(*) FROM tools WHERE removed_at IS NOT NULL"), "re-added tool is live again");
        }
    }

    @Test
    void aRecordTheDatabaseRefusesIsRejectedAloneAndTheRestIsStored() throws Exception {
        for (int i = 0; i < 99; i++) {
            sink.publish(new EventRecord("a", T0, "h", "ok", null, "{\"i\":" + i + "}"));
        }
        sink.publish(new EventRecord("a", T0, "h", "bad", null, "{not json"));
        assertTrue(sink.flush(Duration.ofSeconds(30)));
        try (Connection c = db.connect()) {
            assertEquals(99, count(c, "SELECT count(*) FROM events"));
            assertEquals(0, count(c, "SELECT count(*) FROM events WHERE event_type = 'bad'"));
        }
        assertEquals(1, sink.stats().rejected());
        assertEquals(99, sink.stats().written());
        assertTrue(sink.stats().lastError().contains("EventRecord"), sink.stats().lastError());
    }

    @Test
    void aBatchWrittenTwiceIsStoredOnce() throws Exception {
        SinkStats stats = new SinkStats();
        com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource();
        pool.setJdbcUrl(db.jdbcUrl());
        pool.setUsername(db.adminUser());
        pool.setPassword(db.adminPassword());
        pool.setConnectionInitSql(BatchWriter.sessionSql());
        try (pool) {
            BatchWriter writer = new BatchWriter(pool, stats);
            try (Connection c = pool.getConnection()) {
                writer.connected(BatchWriter.WriteMode.direct(c, layout));
            }
            UUID id = UUID.randomUUID();
            List<TelemetryRecord> batch = List.of(
                    new MetricRecord("a", T0, "h", MetricScope.SYSTEM, "m", 1),
                    new MetricRecord("a", T0, "h", MetricScope.SYSTEM, "m", 2));
            writer.write(id, "a", batch);
            writer.write(id, "a", batch);
        }
        try (Connection c = db.connect()) {
            assertEquals(2, count(c, "SELECT count(*) FROM infra_metrics WHERE metric = 'm'"));
        }
        assertEquals(2, stats.snapshot().written());
    }

    @Test
    void tenantsAreWrittenInTheirOwnTransactionsAndSeeOnlyTheirRows() throws Exception {
        publishAll(new MetricRecord("tenant-a", T0, "h", MetricScope.SYSTEM, "a-only", 1),
                new MetricRecord("tenant-b", T0, "h", MetricScope.SYSTEM, "b-only", 1));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertEquals(2, count(c, "SELECT count(DISTINCT tenant_id) FROM ingest_batches"));
            assertEquals(2, count(c, "SELECT sum(row_count) FROM ingest_batches"), "each batch holds one tenant's rows");
            TenantLogins.ensure(c, "tenant-a", null);
            c.setAutoCommit(false);
            TenantLogins.actAs(c, "tenant-a");
            assertEquals("a-only", one(st, "SELECT string_agg(metric, ',') FROM infra_metrics"));
            c.rollback();
        }
    }

    @Test
    void rollupsAreWrittenWithTheRowsAndCompactToTheSameNumbers() throws Exception {
        sink.publish(new TenantRecord("a", "A")); // compaction goes through the registered tenants
        for (int i = 0; i < 10; i++) {
            sink.publish(new ToolExecutionRecord("a", "h", "srv", "echo", Times.micros(T0, "startedAt"), 100 * (i + 1),
                    i < 3 ? Outcome.TOOL_ERROR : Outcome.SUCCESS, null, null, null, null, null, null, null, null, ExecutionSide.DOWNSTREAM));
            if (i == 4) {
                assertTrue(sink.flush(Duration.ofSeconds(30))); // two batches: two increments of each key
            }
        }
        assertTrue(sink.flush(Duration.ofSeconds(30)));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            TenantLogins.ensure(c, "a", "pw-a");
            for (String grain : List.of("1h", "1d")) {
                assertEquals(2, count(c, "SELECT count(*) FROM rollup_tool_digest_" + grain + " WHERE NOT compacted"), grain);
                assertEquals("10|3|5500|100|1000|10", digestSums(c, grain));
            }
            assertEquals(0, count(c, "SELECT count(*) FROM rollup_tool_digest_1w"), "the sink writes no weeks");
            // the tenant's own login merges its digests (a sink may write under it)
            try (Connection tenant = DriverManager.getConnection(db.jdbcUrl(), TenantLogins.role("a"), "pw-a")) {
                assertEquals(3, DigestCompaction.run(tenant), "one key of each grain, the week's made from the day's");
                assertEquals(0, DigestCompaction.run(tenant), "nothing left to merge");
            }
            assertEquals(T0.atOffset(java.time.ZoneOffset.UTC).toLocalDate().with(java.time.DayOfWeek.MONDAY)
                            .atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond(),
                    count(c, "SELECT extract(epoch FROM bucket)::bigint FROM rollup_tool_digest_1w"), "the week from T0's Monday, UTC");
            for (String grain : List.of("1h", "1d", "1w")) {
                assertEquals(1, count(c, "SELECT count(*) FROM rollup_tool_digest_" + grain), grain);
                assertEquals(1, count(c, "SELECT count(*) FROM rollup_tool_digest_" + grain + " WHERE compacted"), grain);
                assertEquals("10|3|5500|100|1000|10", digestSums(c, grain));
            }
            for (int round = 0; round < 2; round++) {
                c.setAutoCommit(false);
                TenantLogins.actAs(c, "a");
                assertEquals("10|3|5500|1000", one(st, "SELECT concat_ws('|', sum(calls), sum(errors), sum(total_duration_us), "
                        + "max(max_duration_us)) FROM tool_stats_1h"));
                assertEquals("10|3", one(st, "SELECT concat_ws('|', sum(calls), sum(errors)) FROM tenant_stats_1m"));
                assertEquals("3", one(st, "SELECT sum(errors)::text FROM error_stats_1h"));
                assertEquals("10", one(st, "SELECT sum(calls)::text FROM server_stats_1h"));
                assertEquals("10", one(st, "SELECT sum(calls)::text FROM tool_stats_1d"));
                c.commit();
                c.setAutoCommit(true);
                st.execute("SELECT mcp_telemetry_compact(30)"); // the second round reads the compacted rows
            }
            assertEquals(1, count(c, "SELECT count(*) FROM rollup_tool_1h WHERE tenant_id = 'a'"));
        }
    }

    /** calls|errors|total|min|max|histogram count of tool srv/echo over the digests of one grain. */
    private static String digestSums(Connection c, String grain) throws SQLException {
        ToolTotals t = new ToolTotals("srv", "echo");
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT digest FROM tool_digests_" + grain + " WHERE tenant_id = 'a'")) {
            while (rs.next()) {
                ToolDigest.Reader r = new ToolDigest.Reader(rs.getBytes(1));
                while (r.next()) {
                    assertEquals("srv/echo", r.server() + "/" + r.tool());
                    t.add(r);
                }
            }
        }
        return t.calls() + "|" + t.errors() + "|" + t.totalDurationUs() + "|" + t.minDurationUs() + "|" + t.maxDurationUs()
                + "|" + t.latency().count();
    }

    @Test
    void closingFlushesEverythingQueued() throws Exception {
        for (int i = 0; i < 5_000; i++) {
            sink.publish(new ApiRequestRecord("a", T0, "h", "GET", "/api/health", 200, i, null, null));
        }
        sink.close();
        try (Connection c = db.connect()) {
            assertEquals(5_000, count(c, "SELECT count(*) FROM api_requests"));
            // and their hourly rollup, written with them: every request, the histogram holding each
            assertEquals(5_000, count(c, "SELECT sum(requests) FROM rollup_api_1h WHERE tenant_id = 'a'"));
            assertEquals(5_000, count(c, "SELECT sum(c) FROM rollup_api_1h, unnest(latency_counts) c WHERE tenant_id = 'a'"));
            assertEquals(0, count(c, "SELECT sum(server_errors) FROM rollup_api_1h WHERE tenant_id = 'a'"));
        }
        assertEquals(sink.stats().accepted(), sink.stats().written(), "the sink's own final counters included");
        assertEquals(0, sink.stats().lost());
        assertFalse(sink.publish(new ApiRequestRecord("a", T0, "h", "GET", "/", 200, 1, null, null)), "closed sink drops");
        assertNull(sink.stats().lastError());
    }

    /** A tool call as a hook holds it. */
    record Call(String server, String tool, long startedAtMicros, long durationMicros, Outcome outcome, String errorClass,
                String errorMessage, int argumentBytes, int resultBytes, String sessionId, String requestId,
                ExecutionSide side) implements ToolCall {
    }

    @Test
    void toolCallsHandedOverAsTheyAreLandLikeRecordsAndAllocateNothingOnTheCaller() throws Exception {
        long t0 = T0.getEpochSecond() * 1_000_000L + T0.getNano() / 1_000;
        Origin origin = new Origin("acme", "hub-1", 100);
        assertTrue(sink.publishExecution(origin, new Call("everything", "echo", t0, 1_234, Outcome.TOOL_ERROR, "McpError",
                "bad input for Authorization: Bearer abc.def " + "x".repeat(200), 17, -1, "session-9", "req-3",
                ExecutionSide.SERVED), null));
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> sink.publishExecution(origin, new Call(" ", "echo", t0, 1, Outcome.SUCCESS, null, null, -1, -1, null,
                        null, ExecutionSide.DOWNSTREAM), null));
        assertTrue(bad.getMessage().contains("serverName"), bad.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> sink.publishExecution(origin, new Call("s", "echo", -1, 1, Outcome.SUCCESS, null, null, -1, -1, null,
                        null, ExecutionSide.DOWNSTREAM), null));
        assertTrue(sink.flush(Duration.ofSeconds(30)));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertEquals("served|tool_error|1234|McpError|bad input for Authorization: Bearer [REDACTED] "
                    + "x".repeat(53) + "…[truncated 147 chars]|17||session-9|req-3", one(st, "SELECT concat_ws('|', side, "
                    + "outcome, duration_us, error_class, error_message, argument_bytes, coalesce(result_bytes::text, ''), "
                    + "session_id, request_id) FROM tool_executions"));
            try (ResultSet rs = st.executeQuery("SELECT started_at FROM tool_executions")) {
                assertTrue(rs.next());
                assertEquals(T0, rs.getTimestamp(1).toInstant());
            }
        }

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Call[] calls = new Call[4];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = new Call("everything", "tool-" + i, t0 + i, i, Outcome.SUCCESS, null, null, 10, 20, null, null,
                    ExecutionSide.DOWNSTREAM);
        }
        for (int i = 0; i < 20_000; i++) { // warm up (and fill the ring past full: the drop path counts too)
            sink.publishExecution(origin, calls[i & 3], null);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sink.publishExecution(origin, calls[i & 3], null);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4_096, "100,000 publishes allocated " + allocated + " bytes on the calling thread");
    }

    private static String one(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            String value = rs.getString(1);
            assertFalse(rs.next(), "one row expected: " + sql);
            return value;
        }
    }
}
