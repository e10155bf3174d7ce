package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients of the hub's own MCP endpoint: their sessions and the tool calls the hub served them. */
class McpServerSideTest extends WithDatabase {

    private static final String TENANT = "mcpserver";

    @Test
    void sessionsAndServedToolCallsAreRecordedWithTheirClientsAndOutcomes(@TempDir Path dir) throws Exception {
        try (JvmProcess tools = JvmProcess.javaToolServer("served-java-tools")) {
            Path config = dir.resolve("servers.json");
            Files.writeString(config, "{\"mcpServers\": {\"java\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            try (JvmProcess hub = JvmProcess.hub("served-hub", config,
                    Db.agentArgs(db, TENANT) + ",capturePayloads=true")) {
                long slowClientNanos;
                McpSyncClient c1 = client(hub, 1);
                McpSyncClient c2 = client(hub, 2);
                McpSyncClient c3 = client(hub, 3);
                try {
                    McpSchema.CallToolResult echo = c1.callTool(new McpSchema.CallToolRequest("java__echo", Map.of("text", "hi")));
                    assertTrue(echo.isError() == null || !echo.isError(), echo.toString());
                    McpSchema.CallToolResult failed = c1.callTool(new McpSchema.CallToolRequest("java__fail", Map.of("message", "nope")));
                    assertEquals(Boolean.TRUE, failed.isError());
                    assertThrows(McpError.class, () -> c1.callTool(new McpSchema.CallToolRequest("java__throw", Map.of("message", "kaboom"))));
                    c2.callTool(new McpSchema.CallToolRequest("java__add", Map.of("a", 2, "b", 3)));
                    long t0 = System.nanoTime();
                    c3.callTool(new McpSchema.CallToolRequest("java__slow", Map.of("ms", 300)));
                    slowClientNanos = System.nanoTime() - t0;
                } finally {
                    c1.closeGracefully();
                    c2.closeGracefully();
                    c3.closeGracefully();
                }

                List<List<String>> opened = Db.await(db, "SELECT payload->>'clientName', payload->>'clientVersion', "
                        + "payload->>'transport', payload->>'protocolVersion', payload->>'sessionId' FROM events "
                        + "WHERE tenant_id = '" + TENANT + "' AND event_type = 'session.opened' ORDER BY 1",
                        r -> r.size() >= 3, Duration.ofSeconds(60));
                assertEquals(3, opened.size(), opened.toString());
                Map<String, String> sessionOf = new HashMap<>();
                for (int i = 0; i < 3; i++) {
                    List<String> row = opened.get(i);
                    assertEquals("it-client-" + (i + 1), row.get(0));
                    assertEquals("1." + (i + 1), row.get(1));
                    assertEquals("streamable-http", row.get(2), "the one spelling of the transport");
                    assertNotNull(row.get(3), row.toString());
                    assertNotNull(row.get(4), row.toString());
                    sessionOf.put(row.get(0), row.get(4));
                }
                assertEquals(3, Map.copyOf(sessionOf).values().stream().distinct().count());

                List<List<String>> closed = Db.await(db, "SELECT payload->>'clientName', payload->>'sessionId', "
                        + "payload->>'reason' FROM events WHERE tenant_id = '" + TENANT
                        + "' AND event_type = 'session.closed' ORDER BY 1", r -> r.size() >= 3, Duration.ofSeconds(60));
                assertEquals(3, closed.size(), closed.toString());
                for (List<String> row : closed) {
                    assertEquals(sessionOf.get(row.get(0)), row.get(1), row.toString());
                    assertEquals("client_delete", row.get(2), row.toString());
                }

                List<List<String>> served = Db.await(db, "SELECT tool_name, outcome, server_name, session_id, request_id, "
                        + "error_class, error_message, duration_us FROM tool_executions WHERE tenant_id = '" + TENANT
                        + "' AND side = 'served' ORDER BY started_at", r -> r.size() >= 5, Duration.ofSeconds(60));
                assertEquals(5, served.size(), served.toString());
                Map<String, List<String>> byTool = new HashMap<>();
                for (List<String> row : served) {
                    byTool.put(row.get(0), row);
                    assertEquals("demo-hub", row.get(2), row.toString());
                    assertNotNull(row.get(4), row.toString());
                }
                assertEquals("success", byTool.get("java__echo").get(1));
                assertEquals(sessionOf.get("it-client-1"), byTool.get("java__echo").get(3));
                assertEquals("tool_error", byTool.get("java__fail").get(1));
                assertTrue(byTool.get("java__fail").get(6).contains("nope"), byTool.get("java__fail").toString());
                assertEquals(sessionOf.get("it-client-1"), byTool.get("java__fail").get(3));
                List<String> thrown = byTool.get("java__throw");
                assertEquals("exception", thrown.get(1), thrown.toString());
                assertEquals("io.modelcontextprotocol.spec.McpError", thrown.get(5), thrown.toString());
                assertTrue(thrown.get(6).contains("kaboom"), thrown.toString());
                assertEquals("success", byTool.get("java__add").get(1));
                assertEquals(sessionOf.get("it-client-2"), byTool.get("java__add").get(3));
                List<String> slow = byTool.get("java__slow");
                assertEquals(sessionOf.get("it-client-3"), slow.get(3));
                long slowMicros = Long.parseLong(slow.get(7));
                assertTrue(slowMicros >= 300_000 && slowMicros <= slowClientNanos / 1_000,
                        "served duration " + slowMicros + " us, client saw " + slowClientNanos / 1_000 + " us");
                List<List<String>> payloads = Db.rows(db, "SELECT arguments, result FROM tool_executions WHERE tenant_id = '"
                        + TENANT + "' AND side = 'served' AND tool_name = 'java__echo'");
                assertTrue(payloads.get(0).get(0).contains("\"text\":\"hi\""), payloads.toString());
                assertTrue(payloads.get(0).get(1).contains("hi"), payloads.toString());
                // request ids of one session are distinct
                assertTrue(!byTool.get("java__echo").get(4).equals(byTool.get("java__fail").get(4)));
            }
        }
    }

    private static McpSyncClient client(JvmProcess hub, int n) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(hub.url()).endpoint("/mcp").build())
                .clientInfo(McpSchema.Implementation.builder("it-client-" + n, "1." + n).build())
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        return client;
    }
}
