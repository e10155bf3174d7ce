package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus}) scrapes the agent's {@code /metrics} in the demo hub
 * while tools are called (successes and tool errors, through the hub's REST API and its own MCP server); then every query of the shipped Grafana dashboards
 * ({@code dashboards/*.json}, template variables resolved from their own label_values queries) must
 * return data from it, and the shipped alerting rules pass {@code promtool check rules}, their unit tests
 * ({@code promtool test rules}) and load into that Prometheus.
 */
class PrometheusGrafanaTest extends WithDatabase {
    private static final Path REPO = Path.of(System.getProperty("it.repoRoot", ".."));
    private static final Path DASHBOARDS = REPO.resolve("dashboards");
    private static final Path ALERTS = REPO.resolve("alerts");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final String TENANT = "prom-it";
    private static final String JOB = "mcp-hub-telemetry";
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void dashboardsQueriesReturnDataFromARealPrometheusAndTheAlertRulesPassPromtool(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL),
                "prometheus and promtool are needed: apt-get install prometheus (./test.sh installs it when missing)");
        promtool(ALERTS, "check", "rules", "mcp-telemetry-rules.yml");
        promtool(ALERTS, "test", "rules", "mcp-telemetry-rules.test.yml");

        Path config = dir.resolve("servers.json");
        try (JvmProcess tools = JvmProcess.javaToolServer("prom-tools")) {
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            try (JvmProcess hub = JvmProcess.hub("prom-hub", config, Db.agentArgs(db, TENANT))) {
                URI api = URI.create(AgentApiServerTest.awaitApiUrl(hub));
                String prometheus = startPrometheus(dir, api);
                try {
                    await(prometheus, "up{job=\"" + JOB + "\"} == 1", Duration.ofSeconds(60));
                    // two rounds, each seen by Prometheus: rates over the window are then above zero
                    calls(hub, 3, 1);
                    servedSession(hub);
                    awaitCounts(prometheus, 6, 2, 1);
                    calls(hub, 3, 2);
                    servedSession(hub);
                    awaitCounts(prometheus, 13, 4, 2);
                    await(prometheus, "mcp_hub_infra_metric{tenant=\"" + TENANT + "\",metric=\"jvm.heap.used_bytes\"}",
                            Duration.ofSeconds(60));
                    lintScrape(api, dir);
                    checkDashboards(prometheus);
                    checkRulesLoaded(prometheus);
                } finally {
                    stopPrometheus();
                }
            }
        }
    }

    private Process prometheusProcess;

    private String startPrometheus(Path dir, URI api) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                + "rule_files: ['" + ALERTS.resolve("mcp-telemetry-rules.yml").toAbsolutePath() + "']\n"
                + "scrape_configs:\n"
                + "  - job_name: " + JOB + "\n"
                + "    static_configs: [{targets: ['" + api.getHost() + ":" + api.getPort() + "']}]\n");
        Files.createDirectories(JvmProcess.LOG_DIR);
        Path log = JvmProcess.LOG_DIR.resolve("prometheus.log");
        prometheusProcess = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String url = "http://127.0.0.1:" + port;
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            assertTrue(prometheusProcess.isAlive(), "prometheus exited: " + Files.readString(log));
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return url;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus not ready within 60 s: " + Files.readString(log));
    }

    private void stopPrometheus() throws InterruptedException {
        if (prometheusProcess != null) {
            prometheusProcess.destroy();
            if (!prometheusProcess.waitFor(30, TimeUnit.SECONDS)) {
                prometheusProcess.destroyForcibly();
            }
        }
    }

    private static void calls(JvmProcess hub, int successes, int failures) throws Exception {
        for (int i = 0; i < successes; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(hub.url() + "/api/servers/tools/tools/add/call"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"a\": " + i + ", \"b\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        }
        for (int i = 0; i < failures; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(hub.url() + "/api/servers/tools/tools/fail/call"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.body().contains("\"isError\":true"), r.body());
        }
    }

    /**
     * A client session on the hub's own MCP server: a served success and a served tool error (each also a
     * downstream call), then the session closed, so that served calls and session durations are scraped too.
     */
    private static void servedSession(JvmProcess hub) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(hub.url()).endpoint("/mcp").build())
                .clientInfo(McpSchema.Implementation.builder("prom-it-client", "1.0").build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        try {
            client.initialize();
            McpSchema.CallToolResult ok = client.callTool(new McpSchema.CallToolRequest("tools__add", Map.of("a", 1, "b", 2)));
            assertTrue(ok.isError() == null || !ok.isError(), ok.toString());
            McpSchema.CallToolResult failed = client.callTool(new McpSchema.CallToolRequest("tools__fail", Map.of("message", "nope")));
            assertEquals(Boolean.TRUE, failed.isError(), failed.toString());
        } finally {
            client.closeGracefully();
        }
    }

    /** Waits until Prometheus has scraped at least these many downstream calls, served calls and closed sessions. */
    private static void awaitCounts(String prometheus, int client, int served, int sessions) throws Exception {
        String t = "{tenant=\"" + TENANT + "\"}";
        await(prometheus, "sum(mcp_client_operation_duration_seconds_count" + t + ") >= " + client, Duration.ofSeconds(60));
        await(prometheus, "sum(mcp_server_operation_duration_seconds_count" + t + ") >= " + served, Duration.ofSeconds(60));
        await(prometheus, "sum(mcp_server_session_duration_seconds_count" + t + ") >= " + sessions, Duration.ofSeconds(60));
    }

    /** Every panel query of every dashboard, for every combination of its template variables' values. */
    private static void checkDashboards(String prometheus) throws Exception {
        String datasource = Files.readString(DASHBOARDS.resolve("provisioning/datasource.yaml"));
        int checked = 0;
        List<String> empty = new ArrayList<>();
        for (String name : List.of("hub-overview.json", "per-server.json", "per-tool.json")) {
            JsonNode dashboard = JSON.readTree(DASHBOARDS.resolve(name).toFile());
            dashboard.findValues("datasource").forEach(ds -> assertTrue(datasource.contains("uid: " + ds.get("uid").asText()),
                    name + ": data source " + ds + " is not the provisioned one"));
            for (Map<String, String> vars : variableValues(prometheus, name, dashboard.path("templating").path("list"))) {
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        String expr = substitute(target.get("expr").asText(), vars);
                        JsonNode result = query(prometheus, expr);
                        checked++;
                        if (!hasData(result)) {
                            empty.add(name + " \"" + panel.get("title").asText() + "\" " + vars + ": " + expr + " -> " + result);
                        }
                    }
                }
            }
        }
        assertTrue(empty.isEmpty(), "dashboard queries without data:\n" + String.join("\n", empty));
        assertTrue(checked >= 30, "queries checked: " + checked);
        System.out.println("PrometheusGrafanaTest: " + checked + " dashboard queries returned data");
    }

    /** Resolves the variables in order (each may use the earlier ones), as Grafana does, by running their label_values queries. */
    private static List<Map<String, String>> variableValues(String prometheus, String dashboard, JsonNode variables) throws Exception {
        List<Map<String, String>> combinations = List.of(new LinkedHashMap<>());
        for (JsonNode v : variables) {
            String definition = v.path("query").path("query").asText();
            Matcher m = LABEL_VALUES.matcher(definition);
            assertTrue(m.matches(), dashboard + ": variable " + v.get("name") + " is not label_values(...): " + definition);
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> vars : combinations) {
                TreeSet<String> values = new TreeSet<>();
                for (JsonNode series : query(prometheus, substitute(m.group(1), vars)).path("data").path("result")) {
                    values.add(series.path("metric").path(m.group(2)).asText());
                }
                assertFalse(values.isEmpty(), dashboard + ": variable " + v.get("name") + " has no values: " + definition + " " + vars);
                for (String value : values) {
                    Map<String, String> with = new LinkedHashMap<>(vars);
                    with.put(v.get("name").asText(), value);
                    next.add(with);
                }
            }
            combinations = next;
        }
        return combinations;
    }

    /** Grafana's own variables get the values it would give them over the last hour with a 1 s scrape interval. */
    private static String substitute(String expr, Map<String, String> vars) {
        String out = expr.replace("$__rate_interval", "1m").replace("$__range", "1h");
        for (Map.Entry<String, String> e : vars.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
        }
        assertFalse(out.contains("$"), "unresolved variable in " + out);
        return out;
    }

    /** Data: at least one series with a number (not NaN: a quantile of no calls is NaN). */
    private static boolean hasData(JsonNode answer) {
        for (JsonNode series : answer.path("data").path("result")) {
            String value = series.path("value").path(1).asText();
            if (!value.isEmpty() && !value.equals("NaN")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode query(String prometheus, String expr) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), expr + " -> " + r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals("success", answer.path("status").asText(), expr + " -> " + r.body());
        return answer;
    }

    private static void await(String prometheus, String expr, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            last = query(prometheus, expr);
            if (hasData(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus never answered " + expr + " with data; last: " + last);
    }

    /** The shipped rules, loaded by the real Prometheus, evaluate without error. */
    private static void checkRulesLoaded(String prometheus) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < end) {
            body = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/rules")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode rules = JSON.readTree(body).path("data").path("groups").path(0).path("rules");
            if (rules.size() == 3 && rules.findValues("lastEvaluation").stream().noneMatch(t -> t.asText().startsWith("0001"))) {
                rules.forEach(rule -> assertEquals("ok", rule.path("health").asText(), rule.toString()));
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the alerting rules were not loaded and evaluated: " + body);
    }

    /** The agent's real scrape, with every family present (ours and the convention's), passes promtool's lint. */
    private static void lintScrape(URI api, Path dir) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(api.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String family : List.of("mcp_client_operation_duration_seconds", "mcp_server_operation_duration_seconds",
                "mcp_server_session_duration_seconds", "mcp_tool_calls_total")) {
            assertTrue(metrics.contains("\n" + family + "_bucket{") || metrics.contains("\n" + family + "{"), family + " in\n" + metrics);
        }
        Path file = dir.resolve("scrape.txt");
        Files.writeString(file, metrics);
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool check metrics did not end");
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
        assertEquals("", out.strip(), "promtool lint findings on the agent's /metrics");
    }

    private static void promtool(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool " + String.join(" ", args) + " did not end");
        assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
        assertTrue(out.contains("SUCCESS"), out);
    }
}
