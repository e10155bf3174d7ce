package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
