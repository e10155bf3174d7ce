package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.jdkapp.JdkHttpServerApp;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP requests the hub served, as api_requests rows, and the port the hub listens on. */
class HttpApiTest extends WithDatabase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * The servlet flushes its response before {@code service} returns, so the client may hold the whole
     * answer a moment before the server-side measurement ends (seen: 1.8 ms on a loaded machine).
     */
    private static final long FLUSH_SLACK_US = 50_000;

    private record Call(int status, String body, long micros) {
    }

    private static Call call(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        long t0 = System.nanoTime();
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Call(r.statusCode(), r.body(), (System.nanoTime() - t0) / 1_000);
    }

    @Test
    void restAndMcpRequestsAreRecordedOnceWithNormalisedRoutesAndTheHubPortIsKnown(@TempDir Path dir) throws Exception {
        String tenant = "httpapi";
        try (JvmProcess tools = JvmProcess.javaToolServer("http-java-tools")) {
            Path config = dir.resolve("servers.json");
            Files.writeString(config, "{\"mcpServers\": {\"java\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            try (JvmProcess hub = JvmProcess.hub("http-hub", config, Db.agentArgs(db, tenant))) {
                // the port is learned when Jetty's connector opens, before any request
                Db.await(db, "SELECT port FROM hub_instances WHERE tenant_id = '" + tenant + "'",
                        r -> r.size() == 1 && String.valueOf(hub.port).equals(r.get(0).get(0)), Duration.ofSeconds(60));

                long maxHealth = 0;
                for (int i = 0; i < 3; i++) {
                    Call health = call("GET", hub.url() + "/api/health?verbose=1", null);
                    assertEquals(200, health.status());
                    maxHealth = Math.max(maxHealth, health.micros());
                }
                Call servers = call("GET", hub.url() + "/api/servers", null);
                assertEquals(200, servers.status());
                Call unknown = call("GET", hub.url() + "/api/servers/no-such-server", null);
                assertEquals(404, unknown.status());
                String args = "{\"text\":\"hello\"}";
                Call echo = call("POST", hub.url() + "/api/servers/java/tools/echo/call", args);
                assertEquals(200, echo.status(), echo.body());

                // the client's callTool returns once the response event arrives, a little before the HTTP exchange
                // that carries it ends; the whole session bounds that exchange
                long sessionStart = System.nanoTime();
                long sessionMicros;
                McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(hub.url())
                                .endpoint("/mcp").build())
                        .clientInfo(McpSchema.Implementation.builder("http-it", "1").build()).build();
                try {
                    client.initialize();
                    client.callTool(new McpSchema.CallToolRequest("java__slow", Map.of("ms", 300)));
                } finally {
                    client.closeGracefully();
                    sessionMicros = (System.nanoTime() - sessionStart) / 1_000;
                }

                String q = "SELECT method, route, status, latency_us, request_bytes, response_bytes FROM api_requests "
                        + "WHERE tenant_id = '" + tenant + "' ";
                List<List<String>> health = Db.await(db, q + "AND route = '/api/health'", r -> r.size() >= 3,
                        Duration.ofSeconds(60));
                for (List<String> row : health) {
                    assertEquals("GET", row.get(0));
                    assertEquals("200", row.get(2));
                    assertTrue(Long.parseLong(row.get(3)) <= maxHealth + FLUSH_SLACK_US, row + " vs client " + maxHealth);
                }
                List<List<String>> serverRows = Db.await(db, q + "AND route = '/api/servers'", r -> r.size() >= 1,
                        Duration.ofSeconds(30));
                assertEquals("200", serverRows.get(0).get(2));
                assertTrue(Long.parseLong(serverRows.get(0).get(5)) == servers.body().getBytes(StandardCharsets.UTF_8).length,
                        serverRows.toString());

                List<List<String>> notFound = Db.await(db, q + "AND status = 404", r -> r.size() >= 1, Duration.ofSeconds(30));
                assertEquals(List.of("GET", "/api/*", "404"), notFound.get(0).subList(0, 3));

                List<List<String>> echoRows = Db.await(db, q + "AND route = '/api/servers/java/tools/echo/call'",
                        r -> r.size() >= 1, Duration.ofSeconds(30));
                List<String> e = echoRows.get(0);
                assertEquals("POST", e.get(0));
                assertEquals("200", e.get(2));
                assertTrue(Long.parseLong(e.get(3)) <= echo.micros() + FLUSH_SLACK_US, e + " vs client " + echo.micros());
                assertEquals(String.valueOf(args.length()), e.get(4));
                assertEquals(String.valueOf(echo.body().getBytes(StandardCharsets.UTF_8).length), e.get(5));

                // MCP endpoint: initialize and the tools/call (answered on an SSE stream) are POSTs; the tool call's
                // latency covers the handler, the session's DELETE comes last
                // (the slowest POST is the tool call; under CPU load initialize may also pass 300 ms)
                List<List<String>> mcp = Db.await(db, q + "AND route = '/mcp' AND method = 'POST' AND status = 200 "
                        + "AND latency_us >= 300000 ORDER BY latency_us DESC", r -> r.size() >= 1, Duration.ofSeconds(30));
                assertTrue(Long.parseLong(mcp.get(0).get(3)) <= sessionMicros, mcp + " vs client " + sessionMicros);
                Db.await(db, q + "AND route = '/mcp' AND method = 'DELETE' AND status = 200", r -> r.size() == 1,
                        Duration.ofSeconds(30));

                // once per request even though HttpServlet.service(ServletRequest...) nests service(HttpServletRequest...)
                Thread.sleep(500);
                assertEquals(3, Db.count(db, "SELECT count(*) FROM api_requests WHERE tenant_id = '" + tenant
                        + "' AND route = '/api/health'"));
                assertEquals(0, Db.count(db, "SELECT count(*) FROM api_requests WHERE tenant_id = '" + tenant
                        + "' AND (route LIKE '%no-such-server%' OR route LIKE '%?%')"));
            }
        }
    }

    @Test
    void jdkHttpServerHandlersAreRecordedAndTheirPortLearned() throws Exception {
        String tenant = "jdkhttp";
        List<String> cmd = List.of(JvmProcess.java(), "-Xmx128m",
                "-javaagent:" + JvmProcess.AGENT_JAR.toAbsolutePath() + "=" + Db.agentArgs(db, tenant),
                "-cp", Path.of("target/test-classes").toAbsolutePath().toString(), JdkHttpServerApp.class.getName());
        try (JvmProcess app = JvmProcess.start("jdk-http-app", cmd, Map.of(), 60)) {
            Call hello = call("GET", app.url() + "/hello/12345", null);
            assertEquals(200, hello.status());
            assertEquals(JdkHttpServerApp.HELLO_BODY, hello.body());
            Call lambda = call("POST", app.url() + "/lambda", "abc");
            assertEquals(201, lambda.status());

            String q = "SELECT method, route, status, latency_us, request_bytes, response_bytes FROM api_requests "
                    + "WHERE tenant_id = '" + tenant + "' ORDER BY occurred_at";
            List<List<String>> rows = Db.await(db, q, r -> r.size() >= 2, Duration.ofSeconds(60));
            Thread.sleep(500);
            rows = Db.rows(db, q);
            assertEquals(2, rows.size(), rows.toString());
            assertEquals(List.of("GET", "/hello/{id}", "200"), rows.get(0).subList(0, 3));
            assertEquals(String.valueOf(JdkHttpServerApp.HELLO_BODY.length()), rows.get(0).get(5));
            assertTrue(Long.parseLong(rows.get(0).get(3)) <= hello.micros(), rows.get(0).toString());
            assertEquals(List.of("POST", "/lambda", "201", "3", "7"),
                    List.of(rows.get(1).get(0), rows.get(1).get(1), rows.get(1).get(2), rows.get(1).get(4), rows.get(1).get(5)));
            Db.await(db, "SELECT port FROM hub_instances WHERE tenant_id = '" + tenant + "'",
                    r -> r.size() == 1 && String.valueOf(app.port).equals(r.get(0).get(0)), Duration.ofSeconds(30));
        }
    }
}
