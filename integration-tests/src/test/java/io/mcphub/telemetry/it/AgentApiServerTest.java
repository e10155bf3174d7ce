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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent serves the telemetry API from inside the hub process, answering with that hub's data. */
class AgentApiServerTest extends WithDatabase {
    private static final Pattern API = Pattern.compile("telemetry API and dashboard on (http://[0-9.]+:\\d+)/");

    @Test
    void theAgentStartedApiAnswersWithTheHubsOwnTelemetry(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        try (JvmProcess tools = JvmProcess.javaToolServer("api-tools")) {
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            checkTheAgentsApi(config);
        }
    }

    private static void checkTheAgentsApi(Path config) throws Exception {
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

            // Tool calls made through the hub show up in the API the agent serves, from the agent's own records.
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> call = http.send(HttpRequest.newBuilder(URI.create(hub.url()
                        + "/api/servers/tools/tools/add/call")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"a\": " + i + ", \"b\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, call.statusCode(), call.body());
            }
            HttpResponse<String> failed = http.send(HttpRequest.newBuilder(URI.create(hub.url()
                    + "/api/servers/tools/tools/fail/call")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(failed.body().contains("\"isError\":true"), failed.body());
            String executions = awaitBody(http, api + "/api/telemetry/executions?server=java-tool-server&limit=10",
                    b -> b.contains("\"count\":4"));
            assertTrue(executions.contains("\"tool_name\":\"add\"") && executions.contains("\"outcome\":\"tool_error\""),
                    executions);
            String servers = awaitBody(http, api + "/api/telemetry/servers", b -> b.contains("java-tool-server"));
            assertTrue(servers.contains("\"status\":\"connected\"") && servers.contains("\"transport\":\"streamable-http\"")
                    && servers.contains("\"tool_count\":7"), servers);
            String toolStats = awaitBody(http, api + "/api/telemetry/tools?server=java-tool-server&sort=calls",
                    b -> b.contains("\"calls\":3"));
            assertTrue(toolStats.contains("\"tool_name\":\"add\"") && toolStats.contains("\"p95\""), toolStats);
            String errors = awaitBody(http, api + "/api/telemetry/errors", b -> b.contains("fail"));
            assertTrue(errors.contains("tool_error"), errors);
            String served = awaitBody(http, api + "/api/telemetry/api-requests",
                    b -> b.contains("/api/servers/{id}/tools/{id}/call") || b.contains("/api/servers/"));
            assertTrue(served.contains("POST"), served);
        }
    }

    /** Polls an API URL (the sink writes asynchronously) until the body satisfies {@code done}. */
    static String awaitBody(HttpClient http, String url, java.util.function.Predicate<String> done)
            throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < end) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), url + " -> " + r.body());
            body = r.body();
            if (done.test(body)) {
                return body;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting on " + url + "; last body: " + body);
    }

    static String awaitApiUrl(JvmProcess hub) throws InterruptedException {
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
