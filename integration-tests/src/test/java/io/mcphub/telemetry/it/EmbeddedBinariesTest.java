package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two artifacts: the lean agent jar, and mcp-telemetry-embedded-postgres.jar with the PostgreSQL
 * builds, found beside the agent jar or at {@code embedded.binaries}. Without it a hub in the default
 * (embedded) mode runs on, says once which file is missing and where, and keeps its records until the
 * file is there.
 */
class EmbeddedBinariesTest {

    private static final long MAX_AGENT_JAR_BYTES = 15L << 20;
    private static final Path BUNDLE = JvmProcess.AGENT_JAR.toAbsolutePath().normalize()
            .resolveSibling("mcp-telemetry-embedded-postgres.jar");
    private static final Pattern EMBEDDED_URL = Pattern.compile("jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/mcp_hub_telemetry");
    private static final int CALLS = 20;

    @Test
    void theAgentJarIsLeanAndTheBundleBesideItHasTheThreePlatforms() throws Exception {
        long size = Files.size(JvmProcess.AGENT_JAR);
        assertTrue(size <= MAX_AGENT_JAR_BYTES, "mcp-telemetry-agent.jar is " + size + " bytes, over 15 MiB");
        try (JarFile agent = new JarFile(JvmProcess.AGENT_JAR.toFile())) {
            assertTrue(agent.stream().noneMatch(e -> e.getName().endsWith(".txz")), "no PostgreSQL build in the agent jar");
        }
        try (JarFile bundle = new JarFile(BUNDLE.toFile())) {
            for (String archive : List.of("postgres-linux-x86_64.txz", "postgres-linux-arm_64.txz", "postgres-darwin-arm_64.txz")) {
                assertTrue(bundle.getJarEntry(archive) != null, BUNDLE + " lacks " + archive);
            }
        }
        System.out.printf("JAR SIZES agent %d bytes, embedded PostgreSQL bundle %d bytes%n", size, Files.size(BUNDLE));
    }

    /**
     * A copy of the agent jar alone in a directory: one ERROR naming the file and the directory, the hub
     * answers every call, its exit keeps the records in the spill file; with the bundle put beside the jar,
     * the next start runs the embedded database from it and stores what the first run kept.
     */
    @Test
    void withoutTheBundleTheHubRunsOnAndKeepsItsRecordsUntilTheBundleIsBesideTheAgent(@TempDir Path dir) throws Exception {
        Path agentDir = Files.createDirectories(dir.resolve("agent"));
        Path agent = Files.copy(JvmProcess.AGENT_JAR, agentDir.resolve("mcp-telemetry-agent.jar"));
        Path config = dir.resolve("servers.json");
        String args = "tenant=nobinaries,embedded.dir=" + dir.resolve("pg") + ",embedded.port=0,api.enabled=false"
                + ",metricsIntervalMs=0,capturePayloads=true,spill.dir=" + dir.resolve("spill");
        try (JvmProcess tools = JvmProcess.javaToolServer("nobinaries-tools")) {
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            JvmProcess first = JvmProcess.hub("nobinaries-first", config, agent, args, List.of(), Map.of());
            try {
                Db.awaitTrue(() -> first.output.stream().anyMatch(l -> l.contains("binaries not found")), Duration.ofSeconds(60),
                        "the ERROR naming the missing file");
                String error = first.output.stream().filter(l -> l.contains("binaries not found")).findFirst().orElseThrow();
                // the one-platform jar named in brackets is this machine's (linux-amd64 here, linux-arm64v8 on ARM)
                assertTrue(error.contains("ERROR") && error.contains("embedded PostgreSQL binaries not found: put "
                        + "mcp-telemetry-embedded-postgres.jar (or mcp-telemetry-embedded-postgres-") && error.contains(
                        ".jar) beside mcp-telemetry-agent.jar (" + agentDir + ") or set embedded.binaries / "
                        + "MCP_TELEMETRY_EMBEDDED_BINARIES to its path, or configure POSTGRES_HOST to use a PostgreSQL "
                        + "server of your own"), error);
                for (int i = 0; i < CALLS; i++) {
                    McpClientPeers.Reply r = McpClientPeers.callRest(first, "tools", "echo", "{\"text\":\"kept-" + i + "\"}");
                    assertEquals(200, r.status(), "the hub answers without its telemetry database");
                }
                assertEquals(1, first.output.stream().filter(l -> l.contains("binaries not found")).count(),
                        "said once, not at every retry");
                // SIGTERM by kill, not Process.destroy(), which closes the pipe the hub's last lines come through
                new ProcessBuilder("kill", "-TERM", String.valueOf(first.process.pid())).start().waitFor();
                assertTrue(first.process.waitFor(60, TimeUnit.SECONDS), "the first hub exits");
                Db.awaitTrue(() -> first.output.stream().anyMatch(l -> l.contains("kept in the spill file")),
                        Duration.ofSeconds(10), "its close says what it kept");
            } finally {
                first.close();
            }

            Path beside = Files.copy(BUNDLE, agentDir.resolve("mcp-telemetry-embedded-postgres.jar"));
            JvmProcess second = JvmProcess.hub("nobinaries-second", config, agent, args, List.of(), Map.of());
            try {
                Db.awaitTrue(() -> second.output.stream().anyMatch(l -> l.contains("embedded PostgreSQL running")),
                        Duration.ofSeconds(120), "the embedded database started from the bundle beside the agent");
                String running = second.output.stream().filter(l -> l.contains("embedded PostgreSQL running")).findFirst().orElseThrow();
                assertTrue(running.contains("binaries from " + beside), running);
                Matcher port = EMBEDDED_URL.matcher(running);
                assertTrue(port.find(), running);
                String url = "jdbc:postgresql://127.0.0.1:" + port.group(1) + "/mcp_hub_telemetry";
                String sql = "SELECT count(DISTINCT arguments::jsonb->>'text') FROM tool_executions WHERE tenant_id = "
                        + "'nobinaries' AND arguments LIKE '%kept-%'";
                Db.awaitTrue(() -> count(url, sql) == CALLS, Duration.ofSeconds(60), "the first run's calls, stored");
            } finally {
                second.close();
            }
        }
    }

    /** {@code MCP_TELEMETRY_EMBEDDED_BINARIES} names the bundle elsewhere: nothing needs to be beside the agent. */
    @Test
    void theConfiguredPathIsUsed(@TempDir Path dir) throws Exception {
        Path agent = Files.copy(JvmProcess.AGENT_JAR, Files.createDirectories(dir.resolve("agent")).resolve("mcp-telemetry-agent.jar"));
        String classes = Path.of(PlainApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> cmd = List.of(JvmProcess.java(), "-javaagent:" + agent + "=tenant=configuredbinaries,embedded.dir="
                        + dir.resolve("pg") + ",embedded.port=0,api.enabled=false,metricsIntervalMs=0",
                "-cp", classes, PlainApp.class.getName(), "2000");
        JvmProcess app = JvmProcess.start("configured-binaries", cmd, Map.of("MCP_TELEMETRY_EMBEDDED_BINARIES", BUNDLE.toString()), 60);
        assertTrue(app.process.waitFor(120, TimeUnit.SECONDS), "the app ends");
        String output = String.join("\n", app.output);
        assertEquals(0, app.process.exitValue(), output);
        assertTrue(output.contains("embedded PostgreSQL running") && output.contains("binaries from " + BUNDLE), output);
    }

    private static long count(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // not migrated yet, or the table not there yet
        }
    }
}
