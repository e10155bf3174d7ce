package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent serves the telemetry API from inside the hub process, answering with that hub's data. */
class AgentApiServerTest {
    private static final Pattern API = Pattern.compile("telemetry API and dashboard on (http://[0-9.]+:\\d+)/");
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void theAgentStartedApiAnswersWithTheHubsOwnTelemetry(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        Files.writeString(config, "{\"mcpServers\": {}}");
        try (JvmProcess hub = JvmProcess.hub("api-hub", config, Db.agentArgs(db, "api-it"))) {
            String api = awaitApiUrl(hub);
            HttpClient http = HttpClient.newHttpClient();
            String health = "";
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < end && !health.contains("\"pid\":" + hub.process.pid())) {
                Thread.sleep(250);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/api/telemetry/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                health = r.body();
            }
            assertTrue(health.contains("\"pid\":" + hub.process.pid()) && health.contains("\"state\":\"up\""), health);
            HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(URI.create(api + "/api/telemetry/dashboard")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, dashboard.statusCode());
            assertTrue(dashboard.body().contains("\"tenant\":\"api-it\""), dashboard.body());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(api + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(page.body().contains("MCP Hub Telemetry"));
            String metrics = "";
            end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end && !metrics.contains("mcp_hub_infra_metric{")) {
                Thread.sleep(250);
                metrics = http.send(HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(metrics.contains("mcp_hub_infra_metric{tenant=\"api-it\""), metrics);
        }
    }

    private static String awaitApiUrl(JvmProcess hub) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            for (String line : hub.output.toArray(String[]::new)) {
                Matcher m = API.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the agent never reported its API address:\n" + String.join("\n", hub.output));
    }
}
