package io.mcphub.demohub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end, no mocks: JavaToolServer (a child JVM, streamable HTTP), the real npm server-everything (stdio,
 * started by the hub), an unreachable server, and the hub itself (a child JVM on an ephemeral port).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class DemoHubTest {

    static final Path MODULE_DIR = Path.of("").toAbsolutePath();
    static final Path MCP_SERVERS = MODULE_DIR.resolve("mcp-servers");
    static final JsonMapper JSON = JsonMapper.builder().build();

    ChildProcess javaTools;
    ChildProcess everythingSse;
    ChildProcess hub;
    McpSyncClient client;
    HttpClient http;
    String base;

    @BeforeAll
    void startAll() throws Exception {
        Path everything = MCP_SERVERS.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        assertTrue(Files.isRegularFile(everything), "npm ci did not install " + everything);
        Path logs = Files.createDirectories(MODULE_DIR.resolve("target/test-logs"));
        javaTools = ChildProcess.startJava("io.mcphub.demohub.sample.JavaToolServer", List.of("--port", "0"),
                logs.resolve("java-tool-server.log"), 30);
        assertNotEquals(0, javaTools.port);

        // server-everything once more, as a remote server speaking the legacy HTTP+SSE transport
        everythingSse = ChildProcess.startNode(MCP_SERVERS,
                List.of("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "sse"),
                ChildProcess.freePort(), "Server is running on port", logs.resolve("everything-sse.log"), 30);

        int deadPort = ChildProcess.freePort();
        Path dir = Files.createTempDirectory("demo-hub-test");
        Path config = dir.resolve("servers.json");
        // "cwd" points at mcp-servers, so the script path in args is relative to it
        Files.writeString(config, "{\"mcpServers\": {\n"
                + "  \"everything\": {\"command\": \"node\", \"cwd\": " + JSON.writeValueAsString(MCP_SERVERS.toString())
                + ", \"args\": [\"node_modules/@modelcontextprotocol/server-everything/dist/index.js\", \"stdio\"],"
                + " \"env\": {\"DEMO_HUB_TEST\": \"1\"}},\n"
                + "  \"java-tools\": {\"url\": \"http://127.0.0.1:" + javaTools.port + "/mcp\"},\n"
                + "  \"everything-sse\": {\"url\": \"http://127.0.0.1:" + everythingSse.port + "/sse\", \"transport\": \"sse\"},\n"
                + "  \"broken\": {\"url\": \"http://127.0.0.1:" + deadPort + "/mcp\", \"transport\": \"streamable-http\"}\n"
                + "}}\n");
        hub = ChildProcess.startJava("io.mcphub.demohub.DemoHubMain",
                List.of("--config", config.toString(), "--port", "0"), logs.resolve("demo-hub.log"), 60);
        base = "http://127.0.0.1:" + hub.port;
        assertEquals(List.of("demo-hub listening on " + base), hub.stdout.subList(0, 1));

        client = McpClient.sync(HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp").build())
            .clientInfo(McpSchema.Implementation.builder("demo-hub-test", "1").build())
            .requestTimeout(Duration.ofSeconds(30))
            .build();
        McpSchema.InitializeResult init = client.initialize();
        assertEquals("demo-hub", init.serverInfo().name());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stopAll() throws Exception {
        if (client != null) {
            client.closeGracefully();
        }
        if (hub != null) {
            hub.close();
            assertFalse(hub.process.isAlive());
        }
        if (javaTools != null) {
            javaTools.close();
        }
        if (everythingSse != null) {
            everythingSse.close();
        }
    }

    // ---------------------------------------------------------------- MCP endpoint

    @Test
    void mcpClientSeesUnionOfTools() {
        Set<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
        assertTrue(names.contains("everything__echo"), names.toString());
        assertTrue(names.contains("everything__get-sum"), names.toString());
        assertTrue(names.contains("everything-sse__get-sum"), names.toString());
        for (String t : List.of("echo", "add", "fail", "throw", "slow", "notify")) {
            assertTrue(names.contains("java-tools__" + t), names.toString());
        }
        assertTrue(names.stream().noneMatch(n -> n.startsWith("broken__")), names.toString());
    }

    @Test
    void mcpCallsAreForwarded() {
        McpSchema.CallToolResult sum = client.callTool(new McpSchema.CallToolRequest("java-tools__add", Map.of("a", 2, "b", 3)));
        assertEquals("5", text(sum));
        assertFalse(Boolean.TRUE.equals(sum.isError()));

        McpSchema.CallToolResult echo = client.callTool(
                new McpSchema.CallToolRequest("everything__echo", Map.of("message", "hello hub")));
        assertEquals("Echo: hello hub", text(echo));

        McpSchema.CallToolResult sseSum = client.callTool(
                new McpSchema.CallToolRequest("everything-sse__get-sum", Map.of("a", 1, "b", 2)));
        assertTrue(text(sseSum).contains("3"), text(sseSum));

        McpSchema.CallToolResult javaEcho = client.callTool(
                new McpSchema.CallToolRequest("java-tools__echo", Map.of("text", "from java")));
        assertEquals("from java", text(javaEcho));

        McpSchema.CallToolResult slow = client.callTool(new McpSchema.CallToolRequest("java-tools__slow", Map.of("ms", 200)));
        assertEquals("slept 200 ms", text(slow));

        McpSchema.CallToolResult notified = client.callTool(
                new McpSchema.CallToolRequest("java-tools__notify", Map.of("message", "ping")));
        assertEquals("notified: ping", text(notified));
    }

    @Test
    void mcpErrorsComeBackUnchanged() {
        McpSchema.CallToolResult fail = client.callTool(new McpSchema.CallToolRequest("java-tools__fail", Map.of()));
        assertEquals(Boolean.TRUE, fail.isError());
        assertTrue(text(fail).contains("tool failed"), text(fail));

        McpError thrown = assertThrows(McpError.class,
                () -> client.callTool(new McpSchema.CallToolRequest("java-tools__throw", Map.of("message", "x"))));
        assertEquals(McpSchema.ErrorCodes.INTERNAL_ERROR, thrown.getJsonRpcError().code());
        assertTrue(thrown.getJsonRpcError().message().contains("boom: x"), thrown.getJsonRpcError().message());

        // server-everything validates its input itself (the hub does not pre-validate)
        McpSchema.CallToolResult invalid = client.callTool(new McpSchema.CallToolRequest("everything__echo", Map.of()));
        assertEquals(Boolean.TRUE, invalid.isError());
    }

    // ---------------------------------------------------------------- REST API

    @Test
    void health() throws Exception {
        HttpResponse<String> r = get("/api/health");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("ok", body.get("status").asString());
        assertEquals(4, body.get("servers").asInt());
        assertEquals(3, body.get("connected").asInt());
    }

    @Test
    void servers() throws Exception {
        HttpResponse<String> r = get("/api/servers");
        assertEquals(200, r.statusCode());
        JsonNode list = JSON.readTree(r.body());
        assertEquals(4, list.size());
        Map<String, JsonNode> byName = new HashMap<>();
        list.forEach(n -> byName.put(n.get("name").asString(), n));

        JsonNode everything = byName.get("everything");
        assertEquals("stdio", everything.get("transport").asString());
        assertEquals("connected", everything.get("status").asString());
        assertTrue(names(everything.get("tools")).contains("echo"));

        JsonNode javaTools = byName.get("java-tools");
        assertEquals("streamable-http", javaTools.get("transport").asString());
        assertEquals("connected", javaTools.get("status").asString());
        assertEquals(Set.of("echo", "add", "fail", "throw", "slow", "notify", "meta"), names(javaTools.get("tools")));

        JsonNode sse = byName.get("everything-sse");
        assertEquals("sse", sse.get("transport").asString());
        assertEquals("connected", sse.get("status").asString());

        JsonNode broken = byName.get("broken");
        assertEquals("failed", broken.get("status").asString());
        assertNotNull(broken.get("error"));
        assertEquals(0, broken.get("tools").size());
    }

    @Test
    void restCall() throws Exception {
        HttpResponse<String> r = post("/api/servers/java-tools/tools/add/call", "{\"a\": 40, \"b\": 2}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("text", body.get("content").get(0).get("type").asString());
        assertEquals("42", body.get("content").get(0).get("text").asString());
        assertFalse(body.get("isError").asBoolean());

        r = post("/api/servers/everything/tools/echo/call", "{\"message\": \"rest\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Echo: rest", JSON.readTree(r.body()).get("content").get(0).get("text").asString());

        r = post("/api/servers/java-tools/tools/fail/call", "");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).get("isError").asBoolean());
    }

    @Test
    void restErrors() throws Exception {
        HttpResponse<String> r = post("/api/servers/nope/tools/echo/call", "{}");
        assertEquals(404, r.statusCode());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("unknown_server", body.get("error").asString());

        // unknown tool: not pre-validated; the downstream Java SDK server answers -32602
        r = post("/api/servers/java-tools/tools/no-such-tool/call", "{}");
        assertEquals(400, r.statusCode(), r.body());
        body = JSON.readTree(r.body());
        assertEquals("downstream_error", body.get("error").asString());
        assertEquals(-32602, body.get("code").asInt());

        // handler exception downstream: JSON-RPC internal error -> 502
        r = post("/api/servers/java-tools/tools/throw/call", "{}");
        assertEquals(502, r.statusCode(), r.body());
        assertEquals(-32603, JSON.readTree(r.body()).get("code").asInt());

        // failed server: 503
        r = post("/api/servers/broken/tools/anything/call", "{}");
        assertEquals(503, r.statusCode(), r.body());

        r = post("/api/servers/java-tools/tools/add/call", "[1, 2]");
        assertEquals(400, r.statusCode(), r.body());

        r = post("/api/servers/java-tools/tools/add/call", "{not json");
        assertEquals(400, r.statusCode(), r.body());

        assertEquals(404, get("/api/nothing-here").statusCode());
    }

    // ---------------------------------------------------------------- helpers

    private static String text(McpSchema.CallToolResult r) {
        assertNotNull(r.content());
        assertFalse(r.content().isEmpty(), "no content");
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    private static Set<String> names(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
            .map(JsonNode::asString)
            .collect(Collectors.toSet());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }
}
