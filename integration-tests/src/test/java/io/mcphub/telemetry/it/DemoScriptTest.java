package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code demo.sh} as a user runs it (without its build: the reactor built the jars), with the telemetry
 * API's port held by another process: near the end of its output it prints the dashboard's URL, the
 * one the API really serves on.
 */
class DemoScriptTest extends WithDatabase {
    private static final Pattern DASHBOARD = Pattern.compile("^== dashboard \\(telemetry API\\): (http://127\\.0\\.0\\.1:(\\d+)/)$");

    @Test
    void theDemoPrintsTheDashboardUrlItReallyServesOn() throws Exception {
        Path script = JvmProcess.HUB_JAR.toAbsolutePath().getParent().getParent().getParent().resolve("demo.sh");
        try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
            pb.environment().putAll(java.util.Map.of(
                    "DEMO_SKIP_BUILD", "1",
                    "HUB_PORT", Integer.toString(freePort()),
                    "TOOLS_PORT", Integer.toString(freePort()),
                    "MCP_TELEMETRY_JDBC_URL", db.jdbcUrl(),
                    "POSTGRES_USER", db.adminUser(),
                    "POSTGRES_PASSWORD", db.adminPassword(),
                    "MCP_TELEMETRY_API_PORT", Integer.toString(held.getLocalPort())));
            Process demo = pb.start();
            List<String> output = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        output.add(line);
                    }
                } catch (IOException ignored) {
                    // the script ended
                }
            }, "demo-output");
            reader.setDaemon(true);
            reader.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while (System.nanoTime() < deadline && output.stream().noneMatch(l -> l.startsWith("== Ctrl-C to stop"))
                        && demo.isAlive()) {
                    Thread.sleep(100);
                }
                String all = String.join("\n", output);
                System.out.println("demo.sh printed:\n" + all);
                Matcher dashboard = output.stream().map(DASHBOARD::matcher).filter(Matcher::matches).findFirst().orElse(null);
                assertNotNull(dashboard, "no dashboard URL in the demo's output:\n" + all);
                int port = Integer.parseInt(dashboard.group(2));
                assertNotEquals(held.getLocalPort(), port, all);
                int at = output.indexOf(dashboard.group(0));
                assertTrue(output.subList(at, output.size()).stream().anyMatch(l -> l.startsWith("== Ctrl-C to stop")),
                        "the URL comes last, before the stop hint:\n" + all);
                assertTrue(all.contains("port " + held.getLocalPort() + " is in use"), all);
                // the API answers there, with the demo hub's own rows
                AgentApiServerTest.awaitBody(HttpClient.newHttpClient(), dashboard.group(1) + "api/telemetry/health",
                        b -> b.contains("\"hub_name\":\"demo-hub\""));
            } finally {
                List<ProcessHandle> children = demo.descendants().toList();
                demo.destroy();
                if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                    demo.destroyForcibly();
                }
                children.forEach(ProcessHandle::destroy);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
