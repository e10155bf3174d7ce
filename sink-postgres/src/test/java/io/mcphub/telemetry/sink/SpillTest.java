package io.mcphub.telemetry.sink;

import static io.mcphub.telemetry.sink.SinkTestSupport.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.testing.TestDatabase.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spill file under a real PostgreSQL that is stopped and started again: an outage longer than the
 * ring holds, a restart of the hub while the database is down, a spill that fills up, and a replay
 * that is run twice.
 */
class SpillTest {

    private static final int RING = 1_024;
    private static final int BATCH = 256;

    @TempDir
    Path spillDir;
    private EmbeddedServer pg;

    @BeforeEach
    void startServer() {
        pg = EmbeddedServer.start(0);
    }

    @AfterEach
    void stopServer() {
        pg.close();
    }

    private SinkSettings settings(long spillBytes) {
        return SinkTestSupport.settings().ringSize(RING).batchSize(BATCH).connectTimeout(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ofSeconds(2)).spillDir(spillDir).spillMaxBytes(spillBytes).build();
    }

    private DatabaseTarget target() {
        return new DatabaseTarget(pg.server().jdbcUrl("postgres"), "postgres", "", null);
    }

    private static ToolExecutionRecord execution(long i) {
        return new ToolExecutionRecord("acme", "hub", "srv", "tool", Times.micros(Instant.now(), "startedAt"), i,
                Outcome.SUCCESS, null, null, null, null, null, "req-" + i, null, null, ExecutionSide.DOWNSTREAM);
    }

    /**
     * Publishes [from, to) in bursts the ring can hold, each once the sink has taken the one before: at
     * most the lanes' two batches and the one being gathered are then not yet spilled or written.
     */
    private static void publishInBursts(PostgresTelemetrySink sink, int from, int to) {
        for (int start = from; start < to; start += BATCH) {
            for (int i = start; i < Math.min(to, start + BATCH); i++) {
                assertTrue(sink.publish(execution(i)), "record " + i + " accepted (ring " + RING + ")");
            }
            int published = Math.min(to, start + BATCH) - from;
            // the ring holds what the sink has not taken yet: neither spilled nor held by a lane
            awaitTrue(() -> sink.stats().accepted() - sink.stats().spilled() - sink.stats().written()
                    <= 3L * BATCH, "the sink keeps taking records while the database is down (" + published + ")");
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private long stored(String sql) throws Exception {
        try (Connection c = pg.server().connect("postgres")) {
            return count(c, sql);
        }
    }

    @Test
    void anOutageOfFourRingsLosesNothing() throws Exception {
        try (PostgresTelemetrySink sink = PostgresTelemetrySink.start(settings(64L << 20), target())) {
            publishInBursts(sink, 0, 500);
            assertTrue(sink.flush(Duration.ofSeconds(30)));
            pg.stop();
            publishInBursts(sink, 500, 500 + 4 * RING);
            SinkStats.Snapshot during = sink.stats();
            assertEquals(0, during.dropped(), "nothing dropped: " + during);
            assertTrue(during.spilled() >= 4 * RING - 3L * BATCH, "kept on disk, not in memory (beyond two lanes and one batch gathering): " + during);
            assertTrue(during.kept() > 0);

            pg.restart();
            assertTrue(sink.flush(Duration.ofSeconds(60)), "the spill is replayed once the database is back");
            SinkStats.Snapshot after = sink.stats();
            assertEquals(0, after.kept(), after.toString());
            assertEquals(after.spilled(), after.replayed(), "every spilled record replayed: " + after);
            assertEquals(0, after.lost());
        }
        assertEquals(500 + 4 * RING, stored("SELECT count(*) FROM tool_executions"));
        assertEquals(500 + 4 * RING, stored("SELECT count(DISTINCT request_id) FROM tool_executions"), "each exactly once");
        assertEquals(500 + 4 * RING, stored("SELECT coalesce(sum(calls), 0) FROM rollup_tool_1h"), "rollups once each");
        assertEquals(0, spilledFiles(), "the spill is empty again");
    }

    @Test
    void aRestartWhileTheDatabaseIsDownLosesNothingAndAReplayRunTwiceStoresOnce() throws Exception {
        try (PostgresTelemetrySink first = PostgresTelemetrySink.start(settings(64L << 20), target())) {
            pg.stop();
            publishInBursts(first, 0, 2 * RING);
            long closing = System.nanoTime();
            first.close();
            assertTrue(System.nanoTime() - closing < Duration.ofSeconds(3).toNanos(), "exit not held up by the spill");
            SinkStats.Snapshot end = first.stats();
            assertEquals(2 * RING, end.kept(), "everything kept for the next start: " + end);
            assertEquals(0, end.lost());
        }
        // the hub restarts while the database is still down: it never connects, and exits again
        PostgresTelemetrySink second = PostgresTelemetrySink.open(settings(64L << 20));
        for (int i = 2 * RING; i < 3 * RING; i++) { // not connected yet: they wait in the lanes and the ring
            assertTrue(second.publish(execution(i)));
        }
        second.close();
        assertEquals(3 * RING, second.stats().kept(), second.stats().toString());
        assertEquals(0, second.stats().lost());

        Path copy = Files.createTempDirectory("spill-copy");
        copyTree(spillDir, copy);

        pg.restart();
        try (PostgresTelemetrySink third = PostgresTelemetrySink.start(settings(64L << 20), target())) {
            assertTrue(third.flush(Duration.ofSeconds(60)));
            awaitTrue(() -> third.stats().kept() == 0, "replayed");
            assertEquals(3 * RING, third.stats().replayed());
        }
        assertEquals(3 * RING, stored("SELECT count(*) FROM tool_executions"));
        assertEquals(3 * RING, stored("SELECT count(DISTINCT request_id) FROM tool_executions"));

        // a crash after the rows committed but before the segment was deleted: the same batches again
        copyTree(copy, spillDir);
        try (PostgresTelemetrySink fourth = PostgresTelemetrySink.start(settings(64L << 20), target())) {
            awaitTrue(() -> fourth.stats().kept() == 0, "read again");
            assertEquals(3 * RING, fourth.stats().replayed(), "read back and found stored");
            assertEquals(0, fourth.stats().written(), "nothing written twice: " + fourth.stats());
        }
        assertEquals(3 * RING, stored("SELECT count(*) FROM tool_executions"), "each batch stored once");
        assertEquals(3 * RING, stored("SELECT coalesce(sum(calls), 0) FROM rollup_tool_1h"), "rollups once each");
    }

    @Test
    void aFullSpillDropsWhatItCannotHoldAndCountsIt() throws Exception {
        PostgresTelemetrySink sink = PostgresTelemetrySink.start(settings(64 * 1024), target());
        pg.stop();
        int sent = 4 * RING;
        for (int start = 0; start < sent; start += BATCH) {
            for (int i = start; i < start + BATCH; i++) {
                assertTrue(sink.publish(execution(i)), "accepted " + i + ": " + sink.stats());
            }
            awaitTrue(() -> sink.stats().accepted() - sink.stats().spilled() - sink.stats().spillDropped()
                    - sink.stats().written() <= 3L * BATCH, "taken");
        }
        sink.close();
        SinkStats.Snapshot end = sink.stats();
        assertTrue(end.spillDropped() > 0, "the spill was full: " + end);
        assertTrue(end.kept() > 0 && end.kept() < sent, end.toString());
        assertEquals(end.accepted(), end.kept() + end.lost() + end.written(), "every record kept, written or counted lost: " + end);
        assertTrue(end.lost() >= end.spillDropped(), end.toString());
    }

    private long spilledFiles() throws Exception {
        try (var files = Files.walk(spillDir)) {
            return files.filter(p -> p.toString().endsWith(".spill")).count();
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        List<Path> files;
        try (var walk = Files.walk(from)) {
            files = walk.filter(p -> p.toString().endsWith(".spill")).toList();
        }
        for (Path f : files) {
            Path target = to.resolve(from.relativize(f));
            Files.createDirectories(target.getParent());
            Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
