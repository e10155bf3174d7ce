package io.mcphub.telemetry.sink;

import static io.mcphub.telemetry.sink.SinkTestSupport.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.testing.TcpProxy;
import io.mcphub.telemetry.testing.TestDatabase;
import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Closing the sink (what a hub's exit waits for) when the database cannot take what is queued: it
 * refuses connections, it accepts them and never answers, or it stops answering mid-stream. The sink
 * must not wait for the shutdown timeout (10 s here, as by default) in any of them, and must count what
 * it could not write. The deadlines asserted are a fraction of the old waits (10 s + Hikari's 10 s +
 * the 5-minute socket timeout), so that a busy machine cannot fail them; RELIABILITY.md has the figures.
 */
class SinkExitTest {

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    @AutoClose
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    private static SinkSettings settings() {
        return SinkTestSupport.settings().ringSize(1_024).batchSize(50).connectTimeout(Duration.ofSeconds(1))
                .shutdownTimeout(SHUTDOWN_TIMEOUT).build();
    }

    private static ToolExecutionRecord execution(long i) {
        return new ToolExecutionRecord("acme", "hub", "srv", "tool", Times.micros(Instant.now(), "startedAt"), i,
                Outcome.SUCCESS, null, null, null, null, null, "exit-" + i, null, null, ExecutionSide.DOWNSTREAM);
    }

    private static long closeMillis(PostgresTelemetrySink sink) {
        long t0 = System.nanoTime();
        sink.close();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("RELIABILITY sink-exit: close took " + ms + " ms, " + sink.stats());
        return ms;
    }

    @Test
    void aDatabaseThatRefusesConnectionsAddsNothingToClose() throws Exception {
        int refused;
        try (ServerSocket s = new ServerSocket(0)) {
            refused = s.getLocalPort();
        }
        PostgresTelemetrySink sink = PostgresTelemetrySink.open(settings());
        DatabaseTarget nowhere = new DatabaseTarget("jdbc:postgresql://127.0.0.1:" + refused + "/x", "postgres", "", null);
        assertThrows(TelemetryStartupException.class, () -> sink.connect(nowhere));
        for (int i = 0; i < 100; i++) {
            assertTrue(sink.publish(execution(i)));
        }
        assertFalse(sink.writable());
        long ms = closeMillis(sink);
        assertTrue(ms < SHUTDOWN_TIMEOUT.toMillis() / 4, "close waited " + ms + " ms with nothing writable");
        assertEquals(100, sink.stats().lost(), "what was queued is counted as lost");
    }

    @Test
    void aConnectionAttemptToADatabaseThatNeverAnswersDoesNotHoldUpClose() throws Exception {
        try (TcpProxy silent = TcpProxy.blackHole()) {
            PostgresTelemetrySink sink = PostgresTelemetrySink.open(settings());
            DatabaseTarget target = new DatabaseTarget("jdbc:postgresql://127.0.0.1:" + silent.port() + "/x", "postgres",
                    "", null);
            CompletableFuture<Void> connecting = CompletableFuture.runAsync(() -> sink.connect(target));
            for (int i = 0; i < 100; i++) {
                sink.publish(execution(i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (silent.accepted() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, silent.accepted(), "the attempt reached the silent server");
            long ms = closeMillis(sink);
            assertTrue(ms < SHUTDOWN_TIMEOUT.toMillis() / 4, "close waited " + ms + " ms for a connection attempt");
            assertEquals(100, sink.stats().lost());
            // the attempt itself ends at the login timeout, not after the 5-minute socket timeout
            try {
                connecting.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException expected) {
                // refused: closed, or the login timed out
            }
        }
    }

    @Test
    void aDatabaseThatNeverAnswersIsReportedAsSuchNotAsAnSslError() {
        try (TcpProxy silent = TcpProxy.blackHole()) {
            PostgresTelemetrySink sink = PostgresTelemetrySink.open(settings());
            DatabaseTarget target = new DatabaseTarget("jdbc:postgresql://127.0.0.1:" + silent.port() + "/x", "postgres",
                    "", null);
            TelemetryStartupException e = assertThrows(TelemetryStartupException.class, () -> sink.connect(target));
            assertTrue(e.getMessage().contains("PostgreSQL at 127.0.0.1:" + silent.port() + " accepted the connection but "
                    + "did not answer within 2000 ms (is it a PostgreSQL server?)"), e.getMessage());
            sink.close();
        }
    }

    @Test
    void aDatabaseThatStopsAnsweringMidStreamIsGivenUpOnAtClose() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
            PostgresTelemetrySink sink = PostgresTelemetrySink.start(settings(), new DatabaseTarget(
                    "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.name, db.adminUser(), db.adminPassword(), null));
            for (int i = 0; i < 200; i++) {
                sink.publish(execution(i));
            }
            assertTrue(sink.flush(Duration.ofSeconds(60)));
            long storedBefore = sink.stats().written();
            proxy.freeze();
            for (int i = 200; i < 400; i++) {
                sink.publish(execution(i));
            }
            // the sink is stuck in a batch the database never acknowledges
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sink.writable() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(sink.writable(), "a batch under way without an answer makes the sink unwritable");
            long ms = closeMillis(sink);
            assertTrue(ms < SHUTDOWN_TIMEOUT.toMillis() / 4, "close waited " + ms + " ms for a database that never answers");
            SinkStats.Snapshot s = sink.stats();
            assertEquals(400, s.written() + s.lost() + s.rejected(), "every record written or counted lost: " + s);
            assertTrue(s.lost() > 0, s.toString());
            assertTrue(storedBefore >= 200, "the first records were stored before the freeze");
        }
    }

    @Test
    void aHealthyDatabaseStillGetsEverythingQueuedAtClose() throws Exception {
        PostgresTelemetrySink sink = PostgresTelemetrySink.start(SinkTestSupport.settings().ringSize(8_192).batchSize(500)
                .flushInterval(Duration.ofSeconds(5)).shutdownTimeout(SHUTDOWN_TIMEOUT).build(),
                SinkTestSupport.target(db));
        try (Connection c = db.connect()) {
            long before = count(c, "SELECT count(*) FROM tool_executions WHERE request_id LIKE 'healthy-%'");
            for (int i = 0; i < 5_000; i++) {
                sink.publish(new ToolExecutionRecord("acme", "hub", "srv", "tool", Times.micros(Instant.now(), "startedAt"),
                        i, Outcome.SUCCESS, null, null, null, null, null, "healthy-" + i, null, null, ExecutionSide.DOWNSTREAM));
            }
            assertTrue(sink.writable());
            closeMillis(sink);
            assertEquals(0, sink.stats().lost(), sink.stats().toString());
            assertEquals(before + 5_000, count(c, "SELECT count(*) FROM tool_executions WHERE request_id LIKE 'healthy-%'"));
        }
    }
}
