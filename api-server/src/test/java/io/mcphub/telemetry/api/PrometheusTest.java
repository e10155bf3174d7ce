package io.mcphub.telemetry.api;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Times;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} checked by Prometheus' own {@code promtool check metrics} (parser and naming lint)
 * and read back by a second parser (the npm package parse-prometheus-text-format) for its values.
 */
class PrometheusTest {
    private static ApiFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = ApiFixture.start(ApiFixture.localSettings(SampleFleet.ACME));
        // counting starts with the first scrape, as a Prometheus server would do it
        assertEquals(200, f.get("/metrics", null).statusCode());
        f.publish(SampleFleet.acme().toArray(TelemetryRecord[]::new));
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static JsonNode parse(String exposition) throws Exception {
        Path input = Files.createTempFile("metrics", ".txt");
        Files.writeString(input, exposition);
        Process p = new ProcessBuilder("node", "-e", "const parse = require('parse-prometheus-text-format');"
                + "const fs = require('fs'); process.stdout.write(JSON.stringify(parse(fs.readFileSync(process.argv[1], 'utf8'))));",
                input.toString()).directory(BrowserTestSupport.nodeModulesDir().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        Files.delete(input);
        return ApiFixture.JSON.readTree(out);
    }

    /** Prometheus' own parser and linter (Debian package prometheus; .ci/run installs it). */
    static void promtoolAccepts(String exposition) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assertTrue(Files.isExecutable(promtool), "promtool missing: apt-get install prometheus (.ci/run does)");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
        assertEquals("", out.strip(), "promtool lint findings");
    }

    static JsonNode family(JsonNode families, String name) {
        for (JsonNode f : families) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no metric family " + name);
    }

    @Test
    void exposesCountersHistogramsAndGaugesThatAParserAccepts() throws Exception {
        // calls counted from now on (Prometheus counters start with the process)
        f.publish(new ToolExecutionRecord(SampleFleet.ACME, "hub-1", "prom", "search", Times.micros(Instant.now(), "startedAt"), 30_000, Outcome.SUCCESS,
                        null, null, null, null, null, null, null, null, ExecutionSide.DOWNSTREAM),
                new ToolExecutionRecord(SampleFleet.ACME, "hub-1", "prom", "search", Times.micros(Instant.now(), "startedAt"), 700_000, Outcome.TOOL_ERROR,
                        null, "no", null, null, null, null, null, null, ExecutionSide.DOWNSTREAM),
                new ToolExecutionRecord(SampleFleet.ACME, "hub-1", "files", "read \"quoted\"\nname", Times.micros(Instant.now(), "startedAt"), 5, Outcome.SUCCESS,
                        null, null, null, null, null, null, null, null, ExecutionSide.DOWNSTREAM));
        String body = "";
        for (int attempt = 0; attempt < 100 && !body.contains("mcp_tool_call_duration_seconds_count{tenant=\"acme\",server=\"prom\",tool=\"search\",side=\"downstream\"} 2"); attempt++) {
            Thread.sleep(100);
            var r = f.get("/metrics", null);
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            body = r.body();
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "metrics-sample.txt"), body);
        promtoolAccepts(body);
        JsonNode families = parse(body);
        JsonNode calls = family(families, "mcp_tool_calls_total");
        assertEquals("COUNTER", calls.get("type").asText());
        double success = 0;
        double toolError = 0;
        double fleetSearches = 0;
        for (JsonNode m : calls.get("metrics")) {
            if (m.at("/labels/server").asText().equals("github") && m.at("/labels/tool").asText().equals("search")
                    && m.at("/labels/outcome").asText().equals("success")) {
                fleetSearches = m.get("value").asDouble();
            }
            if (m.at("/labels/server").asText().equals("prom")) {
                if (m.at("/labels/outcome").asText().equals("success")) {
                    success = m.get("value").asDouble();
                } else if (m.at("/labels/outcome").asText().equals("tool_error")) {
                    toolError = m.get("value").asDouble();
                }
            }
        }
        assertEquals(1.0, success);
        assertEquals(1.0, toolError);
        assertEquals(91.0, fleetSearches, "the sample fleet's successful searches, written after the first scrape");
        assertEquals("HISTOGRAM", family(families, "mcp_tool_call_duration_seconds").get("type").asText());
        String prom = "{tenant=\"acme\",server=\"prom\",tool=\"search\",side=\"downstream\"";
        assertTrue(body.contains("mcp_tool_call_duration_seconds_bucket" + prom + ",le=\"0.025\"} 0\n"), body);
        assertTrue(body.contains("mcp_tool_call_duration_seconds_bucket" + prom + ",le=\"0.05\"} 1\n"), "30 ms call under 50 ms");
        assertTrue(body.contains("mcp_tool_call_duration_seconds_bucket" + prom + ",le=\"1\"} 2\n"));
        assertTrue(body.contains("mcp_tool_call_duration_seconds_bucket" + prom + ",le=\"+Inf\"} 2\n"));
        assertTrue(body.contains("mcp_tool_call_duration_seconds_sum" + prom + "} 0.73\n"));
        assertTrue(body.contains("tool=\"read \\\"quoted\\\"\\nname\""), "quotes and newlines escaped in label values");
        boolean oddParsed = false;
        for (JsonNode m : calls.get("metrics")) {
            oddParsed |= m.at("/labels/tool").asText().equals("read \"quoted\"\nname");
        }
        assertTrue(oddParsed, "the parser reads the escaped label value back");
        JsonNode servers = family(families, "mcp_servers");
        assertEquals("GAUGE", servers.get("type").asText());
        for (JsonNode m : servers.get("metrics")) {
            double expected = switch (m.at("/labels/status").asText()) {
                case "connected", "failed", "disconnected" -> 1;
                default -> 0;
            };
            assertEquals(expected, m.get("value").asDouble(), m.toString());
        }
        JsonNode up = family(families, "mcp_server_up");
        assertEquals(3, up.get("metrics").size());
        assertEquals(102.0, family(families, "mcp_hub_infra_metric").at("/metrics/0/value").asDouble());
        assertEquals("1", family(families, "mcp_hub_instances").at("/metrics/0/value").asText(), "one hub up");
    }
}
