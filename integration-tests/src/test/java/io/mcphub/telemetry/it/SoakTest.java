package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import io.mcphub.telemetry.testing.TestDatabase.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long-running (profile {@code -Psoak}, {@code -Dsoak.minutes=30}): mixed tool-call load (echo, failing
 * and slow tools, telemetry API reads) for the given time, with the database stopped for 30 s and
 * started again in the middle. Zero lost calls, and the hub's memory floor (lowest heap used per
 * fifth of the run) stays flat.
 */
@Tag("soak")
class SoakTest {

    @Test
    void mixedLoadWithADatabaseRestartLosesNothingAndMemoryStaysFlat(@TempDir Path dir) throws Exception {
        long minutes = Long.getLong("soak.minutes", 30);
        long runMillis = minutes * 60_000;
        try (EmbeddedServer pg = EmbeddedServer.start(0); JvmProcess tools = JvmProcess.javaToolServer("soak-tools")) {
            TestDatabase.Server server = pg.server();
            Path config = dir.resolve("servers.json");
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            String agentArgs = "tenant=soak,jdbcUrl=" + server.jdbcUrl("postgres") + ",postgres.user=postgres"
                    + ",flushIntervalMs=100,metricsIntervalMs=5000,api.port=0,capturePayloads=true";
            try (JvmProcess hub = JvmProcess.hub("soak-hub", config, agentArgs)) {
                DatabaseOutageTest.awaitRows(server, "SELECT count(*) FROM mcp_servers WHERE status = 'connected'", 1, Duration.ofSeconds(60));
                String api = HostileInputTest.apiUrl(hub);
                HttpClient http = HttpClient.newHttpClient();
                long start = System.currentTimeMillis();
                long otherCalls = 0;
                try (EchoLoad load = new EchoLoad(hub.url(), "tools", "soak", 2, 5).start()) {
                    load.phase("first-half");
                    boolean restarted = false;
                    while (System.currentTimeMillis() - start < runMillis) {
                        if (!restarted && System.currentTimeMillis() - start > runMillis / 2) {
                            load.phase("outage");
                            pg.stop();
                            Thread.sleep(30_000);
                            pg.restart();
                            load.phase("second-half");
                            restarted = true;
                        }
                        for (String tool : List.of("fail", "slow", "add")) {
                            String body = tool.equals("slow") ? "{\"ms\":50}" : tool.equals("add") ? "{\"a\":1,\"b\":2}" : "{\"message\":\"x\"}";
                            http.send(HttpRequest.newBuilder(URI.create(hub.url() + "/api/servers/tools/tools/" + tool + "/call"))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                            otherCalls++;
                        }
                        http.send(HttpRequest.newBuilder(URI.create(api + "/api/telemetry/dashboard?window=15m")).build(),
                                HttpResponse.BodyHandlers.discarding());
                        Thread.sleep(200);
                    }
                    load.close();
                    System.out.printf("RELIABILITY soak: %d min, hub latency %s, other calls %d%n", minutes,
                            load.summary("first-half", "outage", "second-half"), otherCalls);
                    assertTrue(load.failures.isEmpty(), "failed calls: " + load.failures.size());
                    Set<String> stored = DatabaseOutageTest.awaitAllStored(server, load.accepted, Duration.ofSeconds(120));
                    Set<String> missing = new HashSet<>(load.accepted);
                    missing.removeAll(stored);
                    long rows = DatabaseOutageTest.count(server, "SELECT count(*) FROM tool_executions WHERE tool_name = 'echo'");
                    long dropped = DatabaseOutageTest.count(server, "SELECT coalesce(max(value), 0)::bigint FROM infra_metrics "
                            + "WHERE scope = 'agent' AND metric = 'telemetry.ring.dropped'");
                    System.out.printf("RELIABILITY soak: echo calls %d, stored %d, missing %d, dropped %d%n",
                            load.accepted.size(), rows, missing.size(), dropped);
                    assertEquals(0, missing.size());
                    assertEquals(load.accepted.size(), rows);
                    assertEquals(0, dropped);
                }
                // the heap's floor (lowest sample) per fifth of the run, and the largest RSS per fifth
                long[] floor = new long[5];
                long[] rss = new long[5];
                try (var c = server.connect("postgres"); var st = c.createStatement(); var rs = st.executeQuery(
                        "SELECT part, min(value) FILTER (WHERE metric = 'jvm.heap.used_bytes'), "
                        + "max(value) FILTER (WHERE metric = 'process.rss_bytes') FROM (SELECT metric, value, "
                        + "ntile(5) OVER (PARTITION BY metric ORDER BY sampled_at) AS part FROM infra_metrics "
                        + "WHERE metric IN ('jvm.heap.used_bytes', 'process.rss_bytes')) m GROUP BY part ORDER BY part")) {
                    while (rs.next()) {
                        floor[rs.getInt(1) - 1] = rs.getLong(2);
                        rss[rs.getInt(1) - 1] = rs.getLong(3);
                    }
                }
                System.out.printf("RELIABILITY soak memory: heap floor per fifth (MiB) %s, max RSS per fifth (MiB) %s%n",
                        java.util.Arrays.toString(java.util.Arrays.stream(floor).map(b -> b >> 20).toArray()),
                        java.util.Arrays.toString(java.util.Arrays.stream(rss).map(b -> b >> 20).toArray()));
                assertTrue(floor[4] <= floor[1] + (48L << 20), "heap floor grew: " + java.util.Arrays.toString(floor));
            }
        }
    }
}
