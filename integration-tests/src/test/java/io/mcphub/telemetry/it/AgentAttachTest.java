package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent attaches to an unmodified hub, records the hub instance, and leaves the hub working. */
class AgentAttachTest extends WithDatabase {


    @Test
    void hubStartsWithTheAgentAndItsInstanceIsRecordedUntilItStops(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        try (JvmProcess tools = JvmProcess.javaToolServer("attach-tools")) {
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            runHubUntilStopped(config);
        }
        // Stopping the hub ends its MCP connections: the status history says so.
        Db.await(db, "SELECT string_agg(status, ',' ORDER BY occurred_at) FROM server_status_history "
                + "WHERE tenant_id = 'attach'", r -> "connected,disconnected".equals(r.get(0).get(0)), Duration.ofSeconds(30));
        List<List<String>> metrics = Db.rows(db, "SELECT DISTINCT scope FROM infra_metrics WHERE tenant_id = 'attach'");
        assertTrue(metrics.containsAll(List.of(List.of("jvm"), List.of("process"), List.of("system"), List.of("agent"))),
                "infrastructure sampled: " + metrics);
    }

    private static void runHubUntilStopped(Path config) throws Exception {
        try (JvmProcess hub = JvmProcess.hub("attach-hub", config, Db.agentArgs(db, "attach"))) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(hub.url() + "/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
            List<List<String>> rows = Db.await(db, "SELECT hub_name, agent_version, pid, metadata->>'mainCommand' "
                    + "FROM hub_instances WHERE tenant_id = 'attach'", r -> r.size() == 1, Duration.ofSeconds(60));
            assertEquals("0.1.0", rows.get(0).get(1));
            assertEquals(Long.toString(hub.process.pid()), rows.get(0).get(2));
            assertTrue(rows.get(0).get(3).endsWith("demo-hub.jar"), rows.get(0).toString());
            assertTrue(hub.output.stream().anyMatch(l -> l.contains("MCP hub telemetry agent") && l.contains("active")),
                    String.join("\n", hub.output));
            Db.awaitCount(db, "SELECT count(DISTINCT scope) FROM infra_metrics WHERE tenant_id = 'attach' "
                    + "AND scope IN ('jvm', 'process', 'system')", 3);
        }
        // SIGTERM runs the agent's shutdown hook, which records the stop before the JVM exits
        Db.await(db, "SELECT count(*) FROM hub_instances WHERE tenant_id = 'attach' AND stopped_at IS NOT NULL",
                r -> r.get(0).get(0).equals("1"), Duration.ofSeconds(30));
    }

    @Test
    void badAgentConfigurationDisablesTheAgentWithOneMessageAndTheHubRunsOn(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        Files.writeString(config, "{\"mcpServers\": {}}");
        try (JvmProcess hub = JvmProcess.hub("bad-config-hub", config, "ringSize=1000")) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(hub.url() + "/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            List<String> agentLines = hub.output.stream().filter(l -> l.contains("[mcp-telemetry]")).toList();
            assertEquals(1, agentLines.size(), String.join("\n", hub.output));
            assertTrue(agentLines.get(0).contains("agent argument ringSize") && agentLines.get(0).contains("power of two"),
                    agentLines.get(0));
        }
    }
}
