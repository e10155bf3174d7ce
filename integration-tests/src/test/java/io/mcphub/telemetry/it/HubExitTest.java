package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TcpProxy;
import io.mcphub.telemetry.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How much later a JVM exits with the agent than without it, when its telemetry database cannot take
 * what is queued: it refuses connections, it accepts them and never answers, or it hangs while the hub
 * is under load and gets SIGTERM. Each run is paired with the same program without the agent, and the
 * delay counted from the moment the program is done (its last line, or the SIGTERM) to the process's
 * end, so that the agent's start-up cost (a JVM with Byte Buddy attaching) is not part of it. The bound
 * asserted is the issue's: under 1 s added. Figures go to RELIABILITY.md.
 */
class HubExitTest {

    private static final long ADDED_LIMIT_MS = 1_000;
    @AutoClose
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    /** Milliseconds from the program's "plain-app done" line to the process's end. */
    private static long exitDelayMillis(String name, String agentArgs, long workMillis) throws Exception {
        String classes = Path.of(PlainApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> cmd = new ArrayList<>(List.of(JvmProcess.java()));
        if (agentArgs != null) {
            cmd.add("-javaagent:" + JvmProcess.AGENT_JAR.toAbsolutePath() + "=" + agentArgs);
        }
        cmd.addAll(List.of("-cp", classes, PlainApp.class.getName(), String.valueOf(workMillis)));
        Files.createDirectories(JvmProcess.LOG_DIR);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Long> done = new CompletableFuture<>();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals("plain-app done")) {
                        done.complete(System.nanoTime());
                    }
                    output.add(line);
                }
            } catch (java.io.IOException ignored) {
                // ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + " did not exit: " + String.join("\n", output));
        long exited = System.nanoTime();
        reader.join(5_000);
        Files.write(JvmProcess.LOG_DIR.resolve(name + ".log"), output);
        assertEquals(0, p.exitValue(), String.join("\n", output));
        assertTrue(done.isDone(), name + " never said it was done: " + String.join("\n", output));
        return (exited - done.get()) / 1_000_000;
    }

    private static String agentArgs(String tenant, String jdbcUrl) {
        return "tenant=" + tenant + ",jdbcUrl=" + jdbcUrl + Db.login(db) + ",api.port=0";
    }

    private static long pairedAddedMillis(String label, String agentArgs, long workMillis) throws Exception {
        long control = exitDelayMillis("exit-" + label + "-plain", null, workMillis);
        long withAgent = exitDelayMillis("exit-" + label + "-agent", agentArgs, workMillis);
        long added = withAgent - control;
        System.out.printf("RELIABILITY exit %s: done-to-exit %d ms with the agent, %d ms without: %+d ms%n", label,
                withAgent, control, added);
        return added;
    }

    @Test
    void aProgramThatIsDoneExitsAsSoonWithTheAgentWhenTheDatabaseRefusesOrNeverAnswers() throws Exception {
        int refusedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            refusedPort = s.getLocalPort();
        }
        // one second of work: the agent is connecting (or waiting on a silent server) when the program ends
        long refused = pairedAddedMillis("refused", agentArgs("exitrefused", "jdbc:postgresql://127.0.0.1:" + refusedPort
                + "/x"), 1_000);
        long silent;
        try (TcpProxy blackHole = TcpProxy.blackHole()) {
            silent = pairedAddedMillis("silent", agentArgs("exitsilent", "jdbc:postgresql://127.0.0.1:" + blackHole.port()
                    + "/x"), 1_000);
            assertTrue(blackHole.accepted() > 0, "the agent's connection reached the silent server");
        }
        // long enough for the agent to have connected (it connects beside the program): the queue is then written
        // at exit; a program that ends before the connection is made leaves its records in the spill file
        long healthy = pairedAddedMillis("healthy", agentArgs("exithealthy", db.jdbcUrl()), 5_000);
        assertTrue(refused < ADDED_LIMIT_MS, "refused database added " + refused + " ms to the exit");
        assertTrue(silent < ADDED_LIMIT_MS, "silent database added " + silent + " ms to the exit");
        // a healthy database is written to before the exit (up to shutdownTimeoutMs); reported, not bounded here
        assertTrue(healthy < 10_000, "healthy database added " + healthy + " ms to the exit");
        Db.awaitCount(db, "SELECT count(*) FROM hub_instances WHERE tenant_id = 'exithealthy' AND stopped_at IS NOT NULL", 1);
    }

    @Test
    void aHubUnderLoadStopsAsSoonWithTheAgentWhenItsDatabaseHangs(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        try (JvmProcess tools = JvmProcess.javaToolServer("exit-hung-tools");
             TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            String args = "tenant=exithung,jdbcUrl=jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.name
                    + Db.login(db) + ",flushIntervalMs=50,api.port=0";
            JvmProcess hub = JvmProcess.hub("exit-hung-hub", config, args);
            JvmProcess control = JvmProcess.hub("exit-hung-hub-plain", config, null);
            try (EchoLoad load = new EchoLoad(hub.url(), "tools", "hung", 2, 5).start();
                 EchoLoad controlLoad = new EchoLoad(control.url(), "tools", "hung-control", 2, 5).start()) {
                Db.awaitCount(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'exithung'", 50);
                proxy.freeze();
                // records keep coming; wait until the sink is holding a batch the database will never answer
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (proxy.held() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(proxy.held() > 0, "a write reached the hung database");
                CompletableFuture<Long> agentExit = stop(hub);
                CompletableFuture<Long> controlExit = stop(control);
                long withAgent = agentExit.get(120, TimeUnit.SECONDS);
                long without = controlExit.get(120, TimeUnit.SECONDS);
                long added = withAgent - without;
                System.out.printf("RELIABILITY exit hung-at-sigterm: SIGTERM-to-exit %d ms with the agent, %d ms without:"
                        + " %+d ms (calls answered %d)%n", withAgent, without, added, load.accepted.size());
                assertTrue(added < ADDED_LIMIT_MS, "a hung database added " + added + " ms to the hub's stop");
            } finally {
                proxy.thaw();
                hub.close();
                control.close();
            }
        }
    }

    /** SIGTERM now; completes with the milliseconds until the process ended. */
    private static CompletableFuture<Long> stop(JvmProcess p) {
        long t0 = System.nanoTime();
        CompletableFuture<Long> exited = p.process.onExit().thenApply(x -> (System.nanoTime() - t0) / 1_000_000);
        p.process.destroy();
        return exited;
    }
}
