package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import io.mcphub.telemetry.testing.TestDatabase.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub under steady tool-call load while its telemetry database (an embedded PostgreSQL of this
 * test's own) is stopped for 30 s and started again, and then while it is slow (a lock holds every
 * insert into tool_executions for seconds). The hub's latency does not change, and every call made is
 * stored exactly once afterwards. Figures go to RELIABILITY.md ({@code RELIABILITY ...} lines).
 */
class DatabaseOutageTest {

    static final int OUTAGE_SECONDS = Integer.getInteger("reliability.outageSeconds", 30);

    @Test
    void hubLatencyIsUnchangedAndEveryCallIsStoredOnceAcrossAnOutageAndASlowDatabase(@TempDir Path dir) throws Exception {
        try (EmbeddedServer pg = EmbeddedServer.start(0); JvmProcess tools = JvmProcess.javaToolServer("outage-tools")) {
            TestDatabase.Server server = pg.server();
            Path config = dir.resolve("servers.json");
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            String agentArgs = "tenant=outage,jdbcUrl=" + server.jdbcUrl("postgres") + ",postgres.user=postgres"
                    + ",flushIntervalMs=50,metricsIntervalMs=1000,api.port=0,capturePayloads=true";
            // the same hub without the agent, under the same load at the same time, is the control: this machine is
            // shared, and its noise (and the database's own restart) reaches both hubs alike
            try (JvmProcess hub = JvmProcess.hub("outage-hub", config, agentArgs);
                 JvmProcess plainHub = JvmProcess.hub("outage-hub-plain", config, null)) {
                awaitRows(server, "SELECT count(*) FROM mcp_servers WHERE status = 'connected'", 1, Duration.ofSeconds(60));
                EchoLoad load = new EchoLoad(hub.url(), "tools", "outage", 2, 10).start();
                EchoLoad control = new EchoLoad(plainHub.url(), "tools", "control", 2, 10).start();
                try {
                    Thread.sleep(4_000);
                    phase(load, control, "before");
                    Thread.sleep(10_000);
                    phase(load, control, "outage");
                    long down = System.nanoTime();
                    pg.stop();
                    Thread.sleep(OUTAGE_SECONDS * 1_000L);
                    pg.restart();
                    double outageSeconds = (System.nanoTime() - down) / 1e9;
                    phase(load, control, "after-outage");
                    Thread.sleep(10_000);
                    phase(load, control, "slow-db");
                    try (Connection lock = server.connect("postgres")) {
                        lock.setAutoCommit(false);
                        try (Statement st = lock.createStatement()) {
                            st.execute("LOCK TABLE tool_executions IN ACCESS EXCLUSIVE MODE");
                        }
                        Thread.sleep(10_000);
                        lock.rollback();
                    }
                    phase(load, control, "after-slow");
                    Thread.sleep(5_000);
                    load.close();
                    control.close();
                    System.out.printf("RELIABILITY outage: database down %.1f s, hub latency %s%n", outageSeconds,
                            load.summary("before", "outage", "after-outage", "slow-db", "after-slow"));
                    System.out.printf("RELIABILITY outage: control hub without agent, same time %s%n",
                            control.summary("before", "outage", "after-outage", "slow-db", "after-slow"));
                } finally {
                    load.close();
                    control.close();
                }
                assertTrue(load.failures.isEmpty(), "every call succeeded: " + load.failures);
                for (String phase : List.of("before", "outage", "after-outage", "slow-db", "after-slow")) {
                    double without = control.quantileMs(phase, 0.99);
                    double with = load.quantileMs(phase, 0.99);
                    assertTrue(load.calls(phase) > 50, phase + " had load");
                    assertTrue(with <= Math.max(3 * without, without + 50),
                            phase + ": p99 " + with + " ms with the agent vs " + without + " ms without");
                }
                Set<String> stored = awaitAllStored(server, load.accepted, Duration.ofSeconds(90));
                Set<String> missing = new HashSet<>(load.accepted);
                missing.removeAll(stored);
                assertEquals(Set.of(), missing, "calls not stored");
                long rows = count(server, "SELECT count(*) FROM tool_executions WHERE tool_name = 'echo'");
                assertEquals(load.accepted.size(), rows, "no call stored twice");
                long dropped = count(server, "SELECT coalesce(max(value), 0)::bigint FROM infra_metrics "
                        + "WHERE scope = 'agent' AND metric = 'telemetry.ring.dropped'");
                assertEquals(0, dropped, "the ring held everything");
                System.out.printf("RELIABILITY outage: calls sent %d, stored %d (distinct %d), dropped %d, peak ring use %d records%n",
                        load.accepted.size(), rows, stored.size(), dropped,
                        count(server, "SELECT coalesce(max(value), 0)::bigint FROM infra_metrics WHERE scope = 'agent' "
                                + "AND metric = 'telemetry.ring.used'"));
            }
        }
    }

    private static void phase(EchoLoad load, EchoLoad control, String name) {
        load.phase(name);
        control.phase(name);
    }

    static Set<String> awaitAllStored(TestDatabase.Server server, Set<String> expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> stored = new HashSet<>();
        while (System.nanoTime() < deadline) {
            stored = tags(server);
            if (stored.containsAll(expected)) {
                return stored;
            }
            Thread.sleep(500);
        }
        return stored;
    }

    static Set<String> tags(TestDatabase.Server server) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT arguments::jsonb->>'text' FROM tool_executions WHERE tool_name = 'echo'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static long count(TestDatabase.Server server, String sql) throws Exception {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void awaitRows(TestDatabase.Server server, String sql, long atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (count(server, sql) >= atLeast) {
                    return;
                }
            } catch (java.sql.SQLException notYet) {
                // schema not migrated yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + sql);
    }
}
