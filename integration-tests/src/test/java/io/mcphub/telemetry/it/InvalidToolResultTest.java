package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downstream MCP server (streamable HTTP, JSON responses) whose tools/call result is a JSON string
 * instead of a CallToolResult object: the hub's SDK cannot read it and the hub answers 502. The call is
 * recorded as the protocol error it is, not as a success.
 */
class InvalidToolResultTest extends WithDatabase {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|\\d+)");
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");

    /** Answers initialize and tools/list properly, and every tools/call with a bare JSON string. */
    private static HttpServer oddServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mcp", InvalidToolResultTest::handle);
        server.start();
        return server;
    }

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1); // no server-sent event stream, no session to delete
                return;
            }
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher id = ID.matcher(body);
            Matcher method = METHOD.matcher(body);
            if (!id.find() || !method.find()) {
                ex.sendResponseHeaders(202, -1); // a notification
                return;
            }
            String result = switch (method.group(1)) {
                case "initialize" -> "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
                        + "\"serverInfo\":{\"name\":\"odd-server\",\"version\":\"1.0\"}}";
                case "tools/list" -> "{\"tools\":[{\"name\":\"odd\",\"description\":\"answers a string\","
                        + "\"inputSchema\":{\"type\":\"object\"}}]}";
                case "tools/call" -> "\"this is not a CallToolResult\"";
                default -> "{}";
            };
            byte[] out = ("{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":" + result + "}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
        }
    }

    @Test
    void aJsonStringResultIsRecordedAsAProtocolErrorWhereTheHubAnswers502(@TempDir Path dir) throws Exception {
        HttpServer odd = oddServer();
        try {
            Path config = dir.resolve("servers.json");
            Files.writeString(config, "{\"mcpServers\": {\"odd\": {\"url\": \"http://127.0.0.1:"
                    + odd.getAddress().getPort() + "/mcp\"}}}");
            try (JvmProcess hub = JvmProcess.hub("odd-result-hub", config, Db.agentArgs(db, "oddresult"))) {
                Db.awaitCount(db, "SELECT count(*) FROM tools WHERE tenant_id = 'oddresult' AND tool_name = 'odd'", 1);
                McpClientPeers.Reply reply = McpClientPeers.callRest(hub, "odd", "odd", "{}");
                List<List<String>> rows = Db.await(db, "SELECT outcome, error_class, error_message FROM tool_executions "
                        + "WHERE tenant_id = 'oddresult'", r -> !r.isEmpty(), Duration.ofSeconds(60));
                System.out.printf("RELIABILITY invalid-result: hub answered %d, recorded %s%n", reply.status(), rows);
                assertEquals(502, reply.status(), reply.body());
                assertEquals(List.of(List.of("protocol_error", "InvalidCallToolResult",
                        "tools/call result is a JSON string, not a CallToolResult object")), rows);
            }
        } finally {
            odd.stop(0);
        }
    }
}
