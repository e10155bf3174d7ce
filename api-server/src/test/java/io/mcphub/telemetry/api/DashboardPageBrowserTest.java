package io.mcphub.telemetry.api;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Times;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboard page in a real headless browser (Debian chromium driven by playwright-core): it loads,
 * shows the servers, and a tool call made while it is open appears without a reload. The screenshot
 * is kept as target/dashboard.png.
 */
class DashboardPageBrowserTest {

    @Test
    void pageShowsServersAndALiveToolCallWithoutReload() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertTrue(Files.isExecutable(chromium), "Debian chromium missing: apt-get install chromium (.ci/run does)");
        Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        try (ApiFixture f = ApiFixture.start(ApiFixture.localSettings(SampleFleet.ACME))) {
            f.publish(SampleFleet.acme().toArray(TelemetryRecord[]::new));
            Path dir = BrowserTestSupport.nodeModulesDir();
            Process node = new ProcessBuilder("node", dir.resolve("dashboard-check.js").toString(), f.server.url() + "/",
                    screenshot.toString(), "github,files,search", "live_tool_call").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("READY")) {
                        f.publish(new ToolExecutionRecord(SampleFleet.ACME, "hub-1", "github", "live_tool_call", Times.micros(Instant.now(), "startedAt"),
                                42_000, Outcome.SUCCESS, null, null, 10, 10, null, null, null, null, ExecutionSide.DOWNSTREAM));
                    }
                }
            } finally {
                if (!node.waitFor(90, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                }
            }
            assertEquals(0, node.exitValue(), String.join("\n", output));
            assertTrue(output.stream().anyMatch(l -> l.startsWith("SEEN")), String.join("\n", output));
            assertTrue(Files.size(screenshot) > 10_000, "screenshot written");
        }
    }
}
