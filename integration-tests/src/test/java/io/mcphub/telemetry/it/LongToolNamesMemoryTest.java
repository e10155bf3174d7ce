package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 5, as it was found: one MCP client calling tools with 100 kB names, 300 times, then a
 * Prometheus scrape, killed a {@code -Xmx512m} hub with the agent (names stored and exported uncapped,
 * ~17 lines per series). The hub runs with {@code -XX:+ExitOnOutOfMemoryError}, so an OOM ends it, and
 * must still answer afterwards; its scrape stays small and its stored names capped.
 */
class LongToolNamesMemoryTest extends WithDatabase {

    private static final int CALLS = 300;
    private static final int NAME_CHARS = 100 * 1024;

    @Test
    void threeHundredCallsWith100kBToolNamesThenAScrapeLeaveA512MbHubStanding(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        try (JvmProcess tools = JvmProcess.javaToolServer("longnames-tools")) {
            Files.writeString(config, "{\"mcpServers\": {\"java\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            try (JvmProcess hub = JvmProcess.hub("longnames-hub", config, Db.agentArgs(db, "longnames"),
                    List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"), Map.of())) {
                McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(hub.url()).endpoint("/mcp").build())
                        .clientInfo(McpSchema.Implementation.builder("longnames-client", "1.0").build())
                        .requestTimeout(Duration.ofSeconds(30)).build();
                client.initialize();
                int answered = 0;
                for (int i = 0; i < CALLS; i++) {
                    String name = "java__" + String.format("%06d", i) + "n".repeat(NAME_CHARS);
                    try {
                        client.callTool(new McpSchema.CallToolRequest(name, Map.of()));
                    } catch (RuntimeException unknownTool) {
                        // the hub refuses a tool it does not have: still a served call, recorded
                    }
                    answered++;
                    assertTrue(hub.process.isAlive(), "the hub died after " + i + " calls:\n" + tail(hub));
                }
                client.closeGracefully();
                Db.awaitCount(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'longnames' AND side = 'served'", CALLS);
                assertEquals("0", Db.rows(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'longnames' "
                        + "AND length(tool_name) > 256").get(0).get(0), "names are capped before they are stored");

                String api = HostileInputTest.apiUrl(hub);
                HttpClient http = HttpClient.newHttpClient();
                long largest = 0;
                for (int scrape = 0; scrape < 5; scrape++) {
                    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(api + "/metrics"))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, metrics.statusCode());
                    largest = Math.max(largest, metrics.body().length());
                    assertTrue(metrics.body().lines().allMatch(l -> l.length() < 2_048), "no 100 kB label in a scrape");
                }
                assertTrue(hub.process.isAlive(), "the hub survived the scrapes:\n" + tail(hub));
                assertTrue(hub.output.stream().noneMatch(l -> l.contains("OutOfMemoryError")), tail(hub));
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(hub.url() + "/api/servers"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), "the hub still answers");
                System.out.printf("RELIABILITY long names: %d calls with %d kB tool names to a -Xmx512m hub "
                        + "(-XX:+ExitOnOutOfMemoryError), then 5 scrapes of at most %d kB: the hub is up, names stored capped%n",
                        answered, NAME_CHARS / 1024, largest / 1024);
            }
        }
    }

    private static String tail(JvmProcess p) {
        List<String> out = List.copyOf(p.output);
        return String.join("\n", out.subList(Math.max(0, out.size() - 20), out.size()));
    }
}
