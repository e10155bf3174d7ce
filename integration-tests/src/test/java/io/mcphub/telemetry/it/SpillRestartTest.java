package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's promise for the spill file, end to end: a hub whose database does not answer from its
 * start, under load for more than twice its ring, stopped while the database is still down, then
 * started again once it is back. Every call answered in the first run is stored, exactly once, with
 * the first run's stop.
 */
class SpillRestartTest extends WithDatabase {

    private static final int RING = 1_024;

    @Test
    void aHubStoppedDuringAnOutageLongerThanItsRingLosesNothingOnceRestarted(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        try (JvmProcess tools = JvmProcess.javaToolServer("spill-tools");
             TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            String args = "tenant=spillrestart,jdbcUrl=jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.name
                    + Db.login(db) + ",ringSize=" + RING + ",batchSize=256,flushIntervalMs=50,capturePayloads=true,api.port=0"
                    + ",spill.dir=" + dir.resolve("spill");
            proxy.freeze(); // the database accepts connections and never answers, from the hub's start

            Set<String> answered;
            JvmProcess first = JvmProcess.hub("spill-first", config, args);
            try (EchoLoad load = new EchoLoad(first.url(), "tools", "spill", 4, 0).start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (load.accepted.size() < 3 * RING && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                load.close();
                answered = new HashSet<>(load.accepted);
                assertTrue(answered.size() >= 3 * RING, "calls answered during the outage: " + answered.size());
            }
            long t0 = System.nanoTime();
            // SIGTERM by kill, not Process.destroy(), which closes the pipe the hub's last lines come through
            new ProcessBuilder("kill", "-TERM", String.valueOf(first.process.pid())).start().waitFor();
            assertTrue(first.process.waitFor(30, TimeUnit.SECONDS), "the first hub exits");
            long stopMillis = (System.nanoTime() - t0) / 1_000_000;
            Db.awaitTrue(() -> first.output.stream().anyMatch(l -> l.contains("telemetry sink closed")),
                    Duration.ofSeconds(10), "the first hub's last lines (exit code " + first.process.exitValue() + ")");
            List<String> log = List.copyOf(first.output);
            assertTrue(log.stream().anyMatch(l -> l.contains("kept in the spill file")), "its close says what it kept:\n"
                    + String.join("\n", log.subList(Math.max(0, log.size() - 15), log.size())));
            assertTrue(log.stream().noneMatch(l -> l.contains("dropping records")), "nothing dropped from the ring");
            assertEquals(0, Db.count(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'tool_executions'"),
                    "nothing reached the database in the first run");

            proxy.thaw();
            JvmProcess second = JvmProcess.hub("spill-second", config, args);
            try {
                String stored = "SELECT count(*) FROM tool_executions WHERE tenant_id = 'spillrestart' "
                        + "AND side = 'downstream' AND arguments::jsonb->>'text' LIKE 'spill-%'";
                Db.await(db, stored, rows -> Long.parseLong(rows.get(0).get(0)) >= answered.size(), Duration.ofSeconds(120));
                Set<String> tags = new HashSet<>();
                for (List<String> row : Db.rows(db, "SELECT arguments::jsonb->>'text' FROM tool_executions WHERE tenant_id = "
                        + "'spillrestart' AND side = 'downstream' AND arguments::jsonb->>'text' LIKE 'spill-%'")) {
                    assertTrue(tags.add(row.get(0)), "stored once: " + row.get(0));
                }
                assertTrue(tags.containsAll(answered), "every answered call stored; missing "
                        + answered.stream().filter(t -> !tags.contains(t)).limit(5).toList());
                Db.awaitCount(db, "SELECT count(*) FROM hub_instances WHERE tenant_id = 'spillrestart' "
                        + "AND stopped_at IS NOT NULL", 1);
                System.out.printf("RELIABILITY spill restart: %d calls answered while the database hung (ring %d), "
                        + "first hub stopped in %d ms, %d stored after the restart, each once%n",
                        answered.size(), RING, stopMillis, tags.size());
            } finally {
                second.close();
            }
        }
    }
}
