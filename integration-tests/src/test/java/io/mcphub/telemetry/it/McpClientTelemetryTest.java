package io.mcphub.telemetry.it;

import static io.mcphub.telemetry.it.McpClientPeers.EVERYTHING;
import static io.mcphub.telemetry.it.McpClientPeers.callRest;
import static io.mcphub.telemetry.it.McpClientPeers.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.it.McpClientPeers.NodeServer;
import io.mcphub.telemetry.it.McpClientPeers.Reply;
import io.mcphub.telemetry.testing.TestDatabase;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's connections to real downstream MCP servers (server-everything over stdio and streamable HTTP,
 * the Java SDK tool server over streamable HTTP), recorded by the agent with no hub code: servers, tool
 * registry, one execution row per call with its outcome, logs, list_changed events, and the disconnect of
 * a killed stdio server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McpClientTelemetryTest {

    private static final String TENANT = "mcpclient";
    private static final String ENV_SECRET = "env-value-that-must-never-be-stored";
    private static final String ARG_SECRET = "sk-arg-that-must-never-be-stored";
    private static final String JAVA_TOOLS = "java-tool-server";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestDatabase db;
    private static JvmProcess toolServer;
    private static NodeServer httpEverything;
    private static JvmProcess hub;
    private static int unreachablePort;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        db = TestDatabase.create();
        toolServer = JvmProcess.javaToolServer("mcpclient-java-tools");
        McpClientPeers.warmUp(toolServer.url());
        httpEverything = NodeServer.start("mcpclient-everything-http", "streamableHttp");
        unreachablePort = McpClientPeers.freePort();
        Path config = dir.resolve("servers.json");
        Files.writeString(config, McpClientPeers.configJson(List.of(
                "\"unreachable\": {\"url\": \"http://user:pw@127.0.0.1:" + unreachablePort + "/mcp?token=abc\"}",
                "\"everything\": {\"command\": \"node\", \"args\": [" + quote(EVERYTHING.toString())
                        + ", \"stdio\", \"--api-key\", " + quote(ARG_SECRET) + "], \"env\": {\"EVERYTHING_TOKEN\": "
                        + quote(ENV_SECRET) + "}, \"timeoutMs\": 20000}",
                "\"everything-http\": {\"url\": " + quote(httpEverything.url("/mcp")) + "}",
                "\"java-tools\": {\"url\": " + quote(toolServer.url() + "/mcp") + ", \"timeoutMs\": 4000}")));
        hub = JvmProcess.hub("mcpclient-hub", config, Db.agentArgs(db, TENANT) + ",capturePayloads=true");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {hub, httpEverything, toolServer}) {
            if (c != null) {
                c.close();
            }
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    void everyServerIsRecordedWithTransportEndpointVersionAndNoSecrets() throws Exception {
        List<List<String>> rows = Db.await(db, "SELECT server_name, transport, endpoint, status, server_version, "
                + "protocol_version, capabilities::text FROM mcp_servers WHERE tenant_id = '" + TENANT + "' AND status <> 'failed' "
                + "ORDER BY transport, endpoint",
                r -> r.size() == 3, WAIT);
        List<String> stdio = row(rows, 1, "stdio");
        assertEquals("node " + EVERYTHING + " stdio --api-key [REDACTED]", stdio.get(2));
        assertEquals("connected", stdio.get(3));
        assertNotNull(stdio.get(4));
        assertNotNull(stdio.get(5));
        assertTrue(stdio.get(6).contains("\"tools\""), stdio.get(6));

        List<List<String>> http = rows.stream().filter(r -> r.get(1).equals("streamable-http")).toList();
        assertEquals(2, http.size(), rows.toString());
        List<String> java = row(rows, 0, JAVA_TOOLS);
        assertEquals("streamable-http", java.get(1));
        assertEquals(toolServer.url() + "/mcp", java.get(2));
        assertEquals("0.1.0", java.get(4));
        assertTrue(java.get(6).contains("\"tools\""), java.get(6));
        List<String> everythingHttp = row(rows, 2, httpEverything.url("/mcp"));
        assertEquals("connected", everythingHttp.get(3));
        // both everything servers report the same serverInfo.name: the second endpoint gets "#2"
        String base = stdio.get(0).replace("#2", "");
        assertEquals(Set.of(base, base + "#2"), Set.of(stdio.get(0), everythingHttp.get(0)));

        for (String table : List.of("mcp_servers", "server_status_history", "events", "logs")) {
            assertEquals(0, Db.count(db, "SELECT count(*) FROM " + table + " t WHERE t::text LIKE '%" + ENV_SECRET
                    + "%' OR t::text LIKE '%" + ARG_SECRET + "%' OR t::text LIKE '%user:pw%' OR t::text LIKE '%token=abc%'"),
                    table);
        }
        Db.await(db, "SELECT server_name FROM server_status_history WHERE tenant_id = '" + TENANT
                + "' AND status = 'connected'", r -> r.size() == 3, WAIT);
    }

    @Test
    @Order(0)
    void aServerThatCannotBeReachedIsAConnectFailureWithoutCredentials() throws Exception {
        List<List<String>> events = Db.await(db, "SELECT payload->>'transport', payload->>'endpoint', payload->>'error' "
                + "FROM events WHERE tenant_id = '" + TENANT + "' AND event_type = 'server.connect_failed'",
                r -> r.size() == 1, WAIT);
        assertEquals("streamable-http", events.get(0).get(0));
        assertEquals("http://127.0.0.1:" + unreachablePort + "/mcp?token=[REDACTED]", events.get(0).get(1));
        assertTrue(events.get(0).get(2).contains("ConnectException"), events.get(0).get(2));
        // and a server row: failed, named by host:port (nothing else names it), the error beside it
        List<List<String>> failed = Db.await(db, "SELECT server_name, endpoint, last_error FROM mcp_servers WHERE tenant_id = '"
                + TENANT + "' AND status = 'failed'", r -> r.size() == 1, WAIT);
        assertEquals("127.0.0.1:" + unreachablePort, failed.get(0).get(0));
        assertEquals(events.get(0).get(1), failed.get(0).get(1));
        assertTrue(failed.get(0).get(2).contains("ConnectException"), failed.get(0).get(2));
    }

    @Test
    @Order(2)
    void toolRegistryHoldsEveryListedToolAndTheToolAddedAfterInitialization() throws Exception {
        Db.await(db, "SELECT tool_name FROM tools WHERE tenant_id = '" + TENANT + "' AND server_name = '" + JAVA_TOOLS
                + "' AND removed_at IS NULL ORDER BY tool_name", r -> r.equals(List.of(List.of("add"), List.of("echo"),
                List.of("fail"), List.of("meta"), List.of("notify"), List.of("slow"), List.of("throw"))), WAIT);
        String stdio = serverName("stdio");
        Db.await(db, "SELECT tool_name FROM tools WHERE tenant_id = '" + TENANT + "' AND server_name = '" + stdio
                + "' AND tool_name IN ('echo', 'simulate-research-query') AND removed_at IS NULL", r -> r.size() == 2, WAIT);
        assertTrue(Db.count(db, "SELECT count(*) FROM tools WHERE tenant_id = '" + TENANT + "' AND server_name = '"
                + stdio + "'") >= 13);
        Db.await(db, "SELECT payload->>'method' FROM events WHERE tenant_id = '" + TENANT
                + "' AND event_type = 'tools.list_changed' AND server_name = '" + stdio + "'", r -> !r.isEmpty(), WAIT);
        Db.await(db, "SELECT payload::text FROM events WHERE tenant_id = '" + TENANT + "' AND event_type = 'tools.changed' "
                + "AND server_name = '" + JAVA_TOOLS + "'", r -> r.size() == 1 && r.get(0).get(0).contains("\"echo\""), WAIT);
    }

    @Test
    @Order(3)
    void eachRestCallIsOneExecutionWithOutcomeDurationIdsAndSizes() throws Exception {
        String huge = "x".repeat(1_000_000);
        Reply echo = callRest(hub, "java-tools", "echo", "{\"text\":\"hello\"}");
        Reply add = callRest(hub, "java-tools", "add", "{\"a\":2,\"b\":3}");
        Reply fail = callRest(hub, "java-tools", "fail", "{}");
        Reply thrown = callRest(hub, "java-tools", "throw", "{}");
        Reply unknown = callRest(hub, "java-tools", "no-such-tool", "{}");
        Reply big = callRest(hub, "java-tools", "echo", "{\"text\":\"" + huge + "\"}");
        assertEquals(List.of(200, 200, 200, 502, 400, 200), List.of(echo.status(), add.status(), fail.status(),
                thrown.status(), unknown.status(), big.status()));
        assertTrue(fail.body().contains("\"isError\":true"), fail.body());

        List<List<String>> rows = Db.await(db, "SELECT tool_name, argument_bytes, outcome, duration_us, error_class, "
                + "error_message, result_bytes, request_id, session_id, arguments FROM tool_executions WHERE tenant_id = '"
                + TENANT + "' AND side = 'downstream' AND server_name = '" + JAVA_TOOLS + "' AND (tool_name IN "
                + "('add', 'fail', 'throw', 'no-such-tool') OR (tool_name = 'echo' AND argument_bytes IN (16, 1000011))) "
                + "ORDER BY started_at", r -> r.size() == 6, WAIT);
        assertExecution(row(rows, 0, "echo", 1, "16"), echo, "success", null);
        assertExecution(row(rows, 0, "add"), add, "success", null);
        assertExecution(row(rows, 0, "fail"), fail, "tool_error", "requested failure");
        assertExecution(row(rows, 0, "throw"), thrown, "protocol_error", "JSON-RPC error -32603");
        assertExecution(row(rows, 0, "no-such-tool"), unknown, "protocol_error", "JSON-RPC error -32602");
        assertExecution(row(rows, 0, "echo", 1, "1000011"), big, "success", null);

        assertEquals("13", row(rows, 0, "add").get(1));
        assertEquals("2", row(rows, 0, "fail").get(1));
        assertEquals("McpError", row(rows, 0, "throw").get(4));
        assertEquals("{\"text\":\"hello\"}", row(rows, 0, "echo", 1, "16").get(9));
        // the result size is that of the downstream result, which the hub returns unchanged as the body
        for (Reply ok : List.of(echo, add, fail, big)) {
            assertTrue(rows.stream().anyMatch(r -> String.valueOf(ok.body().getBytes(StandardCharsets.UTF_8).length)
                    .equals(r.get(6))), "no row with result_bytes " + ok.body().length());
        }
        assertEquals(6, rows.stream().map(r -> r.get(7)).distinct().count(), "request ids " + rows);
        assertEquals(1, rows.stream().map(r -> r.get(8)).distinct().count(), "one MCP session " + rows);
        assertNotNull(rows.get(0).get(8));
    }

    @Test
    @Order(4)
    void concurrentClientsOfTheHubGiveExactlyOneExecutionPerCall() throws Exception {
        int clients = 4;
        int calls = 25;
        Map<String, Long> observed = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    try (McpSyncClient mcp = McpClientPeers.hubClient(hub, "it-client-" + client)) {
                        for (int i = 0; i < calls; i++) {
                            String text = String.format("conc-%d-%02d", client, i);
                            long start = System.nanoTime();
                            McpSchema.CallToolResult result = mcp.callTool(new McpSchema.CallToolRequest(
                                    "java-tools__echo", Map.of("text", text)));
                            observed.put(text, (System.nanoTime() - start) / 1_000);
                            assertEquals(text, ((McpSchema.TextContent) result.content().get(0)).text());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        String sql = "SELECT arguments, outcome, duration_us FROM tool_executions WHERE tenant_id = '" + TENANT
                + "' AND side = 'downstream' AND server_name = '" + JAVA_TOOLS + "' AND arguments LIKE '%conc-%'";
        Db.await(db, sql, r -> r.size() >= clients * calls, WAIT);
        Thread.sleep(500); // a duplicate would arrive with the same batch or right after
        List<List<String>> rows = Db.rows(db, sql);
        assertEquals(clients * calls, rows.size());
        Set<String> texts = new HashSet<>();
        for (List<String> r : rows) {
            String text = r.get(0).replace("{\"text\":\"", "").replace("\"}", "");
            assertTrue(texts.add(text), "two rows for " + text);
            assertEquals("success", r.get(1));
            long micros = Long.parseLong(r.get(2));
            assertTrue(micros > 0 && micros <= observed.get(text), text + ": " + micros + " µs vs " + observed.get(text));
        }
        assertEquals(observed.keySet(), texts);
    }

    @Test
    @Order(5)
    void aCallThatOutlivesTheRequestTimeoutIsOneTimeout() throws Exception {
        Reply slow = callRest(hub, "java-tools", "slow", "{\"ms\":5500}");
        assertEquals(504, slow.status(), slow.body());
        String sql = "SELECT outcome, duration_us, error_class, error_message, request_id FROM tool_executions WHERE tenant_id = '"
                + TENANT + "' AND side = 'downstream' AND tool_name = 'slow'";
        List<List<String>> rows = Db.await(db, sql, r -> !r.isEmpty(), WAIT);
        assertEquals("timeout", rows.get(0).get(0));
        long micros = Long.parseLong(rows.get(0).get(1));
        assertTrue(micros >= 3_900_000 && micros <= slow.micros(), micros + " µs vs observed " + slow.micros());
        assertEquals("java.util.concurrent.TimeoutException", rows.get(0).get(2));
        assertTrue(rows.get(0).get(3).contains("4000 ms"), rows.get(0).get(3));
        assertNotNull(rows.get(0).get(4));
        Thread.sleep(2_000); // the server answers at 5.5 s: the late response must not add a row
        assertEquals(1, Db.rows(db, sql).size());
    }

    @Test
    @Order(6)
    void serverLogNotificationsBecomeLogs() throws Exception {
        assertEquals(200, callRest(hub, "java-tools", "notify", "{}").status());
        Db.await(db, "SELECT level, message FROM logs WHERE tenant_id = '" + TENANT + "' AND server_name = '" + JAVA_TOOLS
                + "'", r -> r.equals(List.of(List.of("info", "hello from java-tool-server"))), WAIT);
        String stdio = serverName("stdio");
        assertEquals(200, callRest(hub, "everything", "toggle-simulated-logging", "{}").status());
        Db.await(db, "SELECT level, message FROM logs WHERE tenant_id = '" + TENANT + "' AND server_name = '" + stdio
                + "' AND message ILIKE '%level%message%'", r -> !r.isEmpty(), WAIT);
        callRest(hub, "everything", "toggle-simulated-logging", "{}");
    }

    @Test
    @Order(7)
    void killingTheStdioServerDisconnectsItAndFailsItsCallInFlight() throws Exception {
        String stdio = serverName("stdio");
        ProcessHandle child = McpClientPeers.stdioChild(hub).orElseThrow(() -> new AssertionError("no stdio child"));
        HttpRequest longCall = HttpRequest.newBuilder(URI.create(hub.url()
                + "/api/servers/everything/tools/trigger-long-running-operation/call"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"duration\":30,\"steps\":30}")).build();
        var inFlight = HttpClient.newHttpClient().sendAsync(longCall, HttpResponse.BodyHandlers.ofString());
        Thread.sleep(1_500);
        assertFalse(inFlight.isDone(), "the long call should still run");
        assertTrue(child.destroyForcibly());

        List<List<String>> history = Db.await(db, "SELECT status, detail FROM server_status_history WHERE tenant_id = '"
                + TENANT + "' AND server_name = '" + stdio + "' ORDER BY occurred_at", r -> r.size() == 2, WAIT);
        assertEquals("connected", history.get(0).get(0));
        assertEquals("disconnected", history.get(1).get(0));
        assertTrue(history.get(1).get(1).contains("exited with code"), history.get(1).get(1));
        assertTrue(history.get(1).get(1).contains(Long.toString(child.pid())), history.get(1).get(1));
        // the server's row is an upsert of its own batch: it may commit after the history row
        Db.await(db, "SELECT status FROM mcp_servers WHERE tenant_id = '" + TENANT
                + "' AND server_name = '" + stdio + "'", r -> r.get(0).get(0).equals("disconnected"), WAIT);
        List<List<String>> call = Db.await(db, "SELECT outcome, error_message FROM tool_executions WHERE tenant_id = '"
                + TENANT + "' AND tool_name = 'trigger-long-running-operation'", r -> r.size() == 1, WAIT);
        assertEquals("exception", call.get(0).get(0));
        assertTrue(call.get(0).get(1).contains("exited with code"), call.get(0).get(1));
        // the other servers are unaffected
        assertEquals(3, Db.count(db, "SELECT count(*) FROM mcp_servers WHERE tenant_id = '" + TENANT + "' AND status <> 'failed'"));
        assertNotEquals("disconnected", Db.rows(db, "SELECT status FROM mcp_servers WHERE tenant_id = '" + TENANT
                + "' AND server_name = '" + JAVA_TOOLS + "'").get(0).get(0));
        inFlight.cancel(true);
    }

    // ---- helpers ----

    private static void assertExecution(List<String> row, Reply reply, String outcome, String message) {
        assertEquals(outcome, row.get(2), row.toString());
        long micros = Long.parseLong(row.get(3));
        assertTrue(micros > 0 && micros <= reply.micros(), micros + " µs vs observed " + reply.micros() + ": " + row);
        if (message == null) {
            assertEquals(null, row.get(5), row.toString());
        } else {
            assertTrue(row.get(5) != null && row.get(5).contains(message), row.toString());
        }
        assertNotNull(row.get(7), "request id");
    }

    private static String serverName(String transport) throws Exception {
        return Db.rows(db, "SELECT server_name FROM mcp_servers WHERE tenant_id = '" + TENANT + "' AND transport = '"
                + transport + "'").get(0).get(0);
    }

    private static List<String> row(List<List<String>> rows, int column, String value) {
        return rows.stream().filter(r -> value.equals(r.get(column))).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + value + " in " + rows));
    }

    private static List<String> row(List<List<String>> rows, int column, String value, int column2, String value2) {
        return rows.stream().filter(r -> value.equals(r.get(column)) && value2.equals(r.get(column2))).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + value + "/" + value2 + " in " + rows));
    }
}
