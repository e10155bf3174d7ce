package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.ToolDigest;
import io.mcphub.telemetry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the hub in the middle of a stream of tool calls: every batch the database
 * committed is there in full (ingest_batches' row counts add up to the rows stored), nothing is half
 * written or stored twice, and the next start on the same database migrates (nothing to do) and goes on.
 */
class CrashRecoveryTest {

    private static final String TENANT = "crash";
    /** Tables a tool call adds rows to (no metrics sampling in this test, so nothing else arrives during the load). */
    private static final String APPENDED_ROWS = "SELECT (SELECT count(*) FROM tool_executions WHERE tenant_id = 'crash')"
            + " + (SELECT count(*) FROM api_requests WHERE tenant_id = 'crash')"
            + " + (SELECT count(*) FROM logs WHERE tenant_id = 'crash')"
            + " + (SELECT count(*) FROM events WHERE tenant_id = 'crash')"
            + " + (SELECT count(*) FROM server_status_history WHERE tenant_id = 'crash')"
            + " + (SELECT count(*) FROM infra_metrics WHERE tenant_id = 'crash')"
            + " + (SELECT count(*) FROM oauth_flows WHERE tenant_id = 'crash')";
    private static final String HUB_SEEN = "SELECT max(last_seen_at)::text FROM hub_instances WHERE tenant_id = 'crash'";
    private static final String BATCHED_ROWS = "SELECT coalesce(sum(row_count), 0) FROM ingest_batches WHERE tenant_id = 'crash'";

    @AutoClose
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    private static String agentArgs() {
        return "tenant=" + TENANT + ",jdbcUrl=" + db.jdbcUrl() + ",postgres.user=" + db.adminUser()
                + (db.adminPassword().isEmpty() ? "" : ",postgres.password=" + db.adminPassword())
                + ",flushIntervalMs=20,batchSize=50,metricsIntervalMs=0,api.enabled=false,capturePayloads=true";
    }

    @Test
    void killDashNineMidStreamLeavesOnlyWholeBatchesAndTheNextStartContinues(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        try (JvmProcess tools = JvmProcess.javaToolServer("crash-tools")) {
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            long beforeLoadBatched;
            long beforeLoadAppended;
            String beforeLoadSeen;
            long windowStart;
            long windowNanos;
            EchoLoad load;
            JvmProcess hub = JvmProcess.hub("crash-hub-1", config, agentArgs());
            try {
                // the server's 7 tools, then the event listing them: the last rows its connection publishes
                Db.awaitCount(db, "SELECT count(*) FROM tools WHERE tenant_id = 'crash'", 7);
                Db.awaitCount(db, "SELECT count(*) FROM events WHERE tenant_id = 'crash' AND event_type = 'tools.changed'", 1);
                // registry upserts are counted in ingest_batches but add no rows: take them out before the load
                beforeLoadBatched = Db.count(db, BATCHED_ROWS);
                beforeLoadAppended = Db.count(db, APPENDED_ROWS);
                beforeLoadSeen = Db.rows(db, HUB_SEEN).get(0).get(0);
                windowStart = System.nanoTime();
                load = new EchoLoad(hub.url(), "tools", "crash", 4, 0).start();
                // failing calls beside them, so that the error statistics have something to add up
                java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
                Thread failing = new Thread(() -> {
                    while (!killed.get()) {
                        try {
                            McpClientPeers.callRest(hub, "tools", "fail", "{\"message\":\"crash-fail\"}");
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                failing.start();
                // mid-stream by count, not by time: the machine may be busy
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (load.accepted.size() < 150 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                hub.process.destroyForcibly();
                windowNanos = System.nanoTime() - windowStart;
                killed.set(true);
                assertTrue(hub.process.waitFor(10, TimeUnit.SECONDS));
                load.close();
                failing.join(30_000);
            } finally {
                hub.close();
            }
            // the killed hub's connections go away; its open transaction (if any) is rolled back
            Db.await(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    r -> r.get(0).get(0).equals("0"), Duration.ofSeconds(30));
            long batched = Db.count(db, BATCHED_ROWS) - beforeLoadBatched;
            long appended = Db.count(db, APPENDED_ROWS) - beforeLoadAppended;
            // the hub's heartbeat (every 30 s) upserts its row too: one batched row that no table appends
            long heartbeats = Db.rows(db, HUB_SEEN).get(0).get(0).equals(beforeLoadSeen) ? 0
                    : 1 + windowNanos / Duration.ofSeconds(30).toNanos();
            assertTrue(batched - appended >= 0 && batched - appended <= heartbeats, "rows stored = rows of committed "
                    + "batches (no partial batch): batched " + batched + ", appended " + appended + ", heartbeats "
                    + "at most " + heartbeats);
            Set<String> stored = new HashSet<>();
            Db.rows(db, "SELECT arguments::jsonb->>'text' FROM tool_executions WHERE tenant_id = 'crash' AND tool_name = 'echo'")
                    .forEach(r -> stored.add(r.get(0)));
            long rows = Db.count(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'crash' AND tool_name = 'echo'");
            assertEquals(stored.size(), rows, "no call stored twice");
            Set<String> unknown = new HashSet<>(stored);
            unknown.removeAll(load.accepted);
            unknown.removeAll(load.failures.keySet());
            assertEquals(Set.of(), unknown, "only calls that were made are stored");
            long lostInFlight = load.accepted.size() - stored.stream().filter(load.accepted::contains).count();
            System.out.printf("RELIABILITY crash: calls answered %d, stored %d, in flight at kill (lost) %d, "
                    + "batched rows %d = stored rows %d%n", load.accepted.size(), rows, lostInFlight, batched, appended);
            assertTrue(rows > 100, "the crash happened mid-stream: " + rows);
            rollupsMatchTheRows("after the kill");

            try (JvmProcess again = JvmProcess.hub("crash-hub-2", config, agentArgs());
                 EchoLoad more = new EchoLoad(again.url(), "tools", "after-crash", 1, 20).start()) {
                Db.await(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'crash' AND arguments LIKE '%after-crash%'",
                        r -> Long.parseLong(r.get(0).get(0)) >= 10, Duration.ofSeconds(60));
                assertEquals(2, Db.count(db, "SELECT count(*) FROM hub_instances WHERE tenant_id = 'crash'"));
                assertTrue(again.output.stream().noneMatch(l -> l.contains("ERROR") || l.contains("migration failed")),
                        String.join("\n", again.output));
            }
            rollupsMatchTheRows("after the restart");
        }
    }

    /**
     * The statistics the dashboard and the error views read are written in the rows' own transaction, so
     * a kill -9 cannot leave them behind: every rollup's calls and errors add up to the raw rows exactly.
     */
    private static void rollupsMatchTheRows(String when) throws Exception {
        long calls = Db.count(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'crash'");
        long errors = Db.count(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'crash' AND outcome <> 'success'");
        StringBuilder seen = new StringBuilder();
        for (String table : List.of("rollup_tool_1h", "rollup_tool_1d", "rollup_tenant_1h", "rollup_tenant_1m")) {
            if (!Db.rows(db, "SELECT to_regclass('" + table + "') IS NOT NULL").get(0).get(0).equals("t")) {
                continue; // this layout derives it otherwise
            }
            List<String> sums = Db.rows(db, "SELECT coalesce(sum(calls), 0), coalesce(sum(errors), 0) FROM " + table
                    + " WHERE tenant_id = 'crash'").get(0);
            seen.append(table).append(' ').append(sums).append("; ");
            assertEquals(List.of(Long.toString(calls), Long.toString(errors)), sums, table + " " + when);
        }
        // the weeks hold their days' compacted digests: with the days' other increments, every call once
        for (String table : List.of("rollup_tool_digest_1h", "rollup_tool_digest_1d", "rollup_tool_digest_1w "
                + "UNION ALL SELECT tenant_id, digest FROM rollup_tool_digest_1d WHERE NOT compacted")) {
            long[] sums = new long[2];
            try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT digest FROM (SELECT tenant_id, digest FROM " + table
                         + ") d WHERE tenant_id = 'crash'")) {
                while (rs.next()) {
                    ToolDigest.Reader r = new ToolDigest.Reader(rs.getBytes(1));
                    while (r.next()) {
                        sums[0] += r.calls();
                        sums[1] += r.errors();
                    }
                }
            }
            seen.append(table).append(' ').append(java.util.Arrays.toString(sums)).append("; ");
            assertEquals(List.of(calls, errors), List.of(sums[0], sums[1]), table + " " + when);
        }
        if (Db.rows(db, "SELECT to_regclass('rollup_error_1h') IS NOT NULL").get(0).get(0).equals("t")) {
            assertEquals(errors, Db.count(db, "SELECT coalesce(sum(errors), 0) FROM rollup_error_1h WHERE tenant_id = 'crash'"),
                    "rollup_error_1h " + when);
        }
        System.out.printf("RELIABILITY crash rollups %s: %d calls, %d errors in the rows; %s%n", when, calls, errors, seen);
    }
}
