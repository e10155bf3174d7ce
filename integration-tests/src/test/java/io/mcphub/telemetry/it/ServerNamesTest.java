package io.mcphub.telemetry.it;

import static io.mcphub.telemetry.it.McpClientPeers.EVERYTHING;
import static io.mcphub.telemetry.it.McpClientPeers.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names users know and servers that never connect, with two real demo hubs of one tenant and the agent:
 * the serverNames rules name server-everything (stdio) and the Java SDK tool server (streamable HTTP);
 * a stdio command that exits at once and an HTTP port nobody listens on are failed rows with their
 * errors, counted by /health; the tool server, shared by both hubs, stays connected (and its uptime
 * runs on) when one hub stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerNamesTest {

    private static final String TENANT = "names";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestDatabase db;
    private static JvmProcess toolServer;
    private static JvmProcess hubA;
    private static JvmProcess hubB;
    private static int unreachablePort;
    private static String agentArgs;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        db = TestDatabase.create();
        toolServer = JvmProcess.javaToolServer("names-java-tools");
        unreachablePort = McpClientPeers.freePort();
        agentArgs = Db.agentArgs(db, TENANT) + ",serverNames=everything=*server-everything*,java-tools="
                + toolServer.url() + "/*";
        Path configA = dir.resolve("hub-a.json");
        Files.writeString(configA, McpClientPeers.configJson(List.of(
                "\"everything\": {\"command\": \"node\", \"args\": [" + quote(EVERYTHING.toString()) + ", \"stdio\"]}",
                "\"tools\": {\"url\": " + quote(toolServer.url() + "/mcp") + "}",
                "\"dies\": {\"command\": \"false\"}",
                "\"nobody\": {\"url\": \"http://127.0.0.1:" + unreachablePort + "/mcp\"}")));
        Path configB = dir.resolve("hub-b.json");
        Files.writeString(configB, McpClientPeers.configJson(List.of(
                "\"tools\": {\"url\": " + quote(toolServer.url() + "/mcp") + "}")));
        hubA = JvmProcess.hub("names-hub-a", configA, agentArgs);
        hubB = JvmProcess.hub("names-hub-b", configB, agentArgs);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {hubA, hubB, toolServer}) {
            if (c != null) {
                c.close();
            }
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    void theConfiguredNamesNameTheServersThatConnected() throws Exception {
        List<List<String>> rows = Db.await(db, "SELECT server_name, transport, status FROM mcp_servers WHERE tenant_id = '"
                + TENANT + "' AND status = 'connected' ORDER BY server_name", r -> r.size() == 2, WAIT);
        assertEquals(List.of(List.of("everything", "stdio", "connected"), List.of("java-tools", "streamable-http", "connected")),
                rows);
        assertEquals(0, Db.count(db, "SELECT count(*) FROM mcp_servers WHERE tenant_id = '" + TENANT
                + "' AND server_name IN ('mcp-servers/everything', 'java-tool-server')"), "not by serverInfo.name");
        // the hub's REST API calls it "tools"; its executions are recorded under the configured name
        assertEquals(200, McpClientPeers.callRest(hubA, "tools", "echo", "{\"text\":\"named\"}").status());
        Db.await(db, "SELECT 1 FROM tool_executions WHERE tenant_id = '" + TENANT + "' AND server_name = 'java-tools' "
                + "AND tool_name = 'echo'", r -> r.size() == 1, WAIT);
    }

    @Test
    @Order(2)
    void serversThatFailBeforeInitializeAreFailedRowsWithTheirErrorsAndCountInHealth() throws Exception {
        List<List<String>> failed = Db.await(db, "SELECT server_name, transport, endpoint, last_error, "
                + "last_disconnected_at IS NOT NULL FROM mcp_servers WHERE tenant_id = '" + TENANT + "' AND status = 'failed' "
                + "ORDER BY transport", r -> r.size() == 2, WAIT);
        List<String> dies = failed.get(0);
        assertEquals(List.of("false", "stdio", "false"), dies.subList(0, 3), "named by its command");
        assertTrue(dies.get(3).contains("exited with code 1"), dies.get(3));
        assertEquals("t", dies.get(4), "the failure's time");
        List<String> nobody = failed.get(1);
        assertEquals(List.of("127.0.0.1:" + unreachablePort, "streamable-http", "http://127.0.0.1:" + unreachablePort + "/mcp"),
                nobody.subList(0, 3), "named by host:port");
        assertTrue(nobody.get(3).contains("ConnectException"), nobody.get(3));
        assertEquals("t", nobody.get(4));
        assertEquals(2, Db.count(db, "SELECT count(*) FROM server_status_history WHERE tenant_id = '" + TENANT
                + "' AND status = 'failed'"));

        String api = AgentApiServerTest.awaitApiUrl(hubA);
        String health = AgentApiServerTest.awaitBody(HttpClient.newHttpClient(), api + "/api/telemetry/health",
                b -> b.contains("\"failed\":2"));
        assertTrue(health.contains("\"status\":\"degraded\""), health);
        // the hub gave up on them after its 30 s initialize timeout: they stay failed, not disconnected
        assertEquals(2, Db.count(db, "SELECT count(*) FROM mcp_servers WHERE tenant_id = '" + TENANT
                + "' AND status = 'failed'"));
    }

    @Test
    @Order(3)
    void aServerSharedByTwoHubsStaysConnectedWhenOneStops() throws Exception {
        String sql = "SELECT status, connected_since, cardinality(connected_instances) FROM mcp_servers WHERE tenant_id = '"
                + TENANT + "' AND server_name = 'java-tools'";
        List<String> both = Db.await(db, sql, r -> r.size() == 1 && r.get(0).get(2).equals("2"), WAIT).get(0);
        hubB.close();
        // hub B closes its client as it stops: its disconnect is recorded
        Db.await(db, "SELECT instance_id FROM server_status_history WHERE tenant_id = '" + TENANT + "' AND server_name = "
                + "'java-tools' AND status = 'disconnected'", r -> r.size() == 1, WAIT);
        List<String> after = Db.await(db, sql, r -> r.get(0).get(2).equals("1"), WAIT).get(0);
        assertEquals("connected", after.get(0), "hub A is still connected to it");
        assertEquals(both.get(1), after.get(1), "its uptime runs on from the first connect");

        String api = AgentApiServerTest.awaitApiUrl(hubA);
        String servers = AgentApiServerTest.awaitBody(HttpClient.newHttpClient(), api + "/api/telemetry/servers?window=1h",
                b -> b.contains("\"server_name\":\"java-tools\""));
        String javaTools = servers.substring(servers.indexOf("\"server_name\":\"java-tools\""));
        javaTools = javaTools.substring(0, javaTools.indexOf('}'));
        assertTrue(javaTools.contains("\"status\":\"connected\""), javaTools);
        assertTrue(javaTools.contains("\"uptime_percent\":100.0"), javaTools);
        assertTrue(javaTools.contains("\"outages\":0"), javaTools);
    }
}
