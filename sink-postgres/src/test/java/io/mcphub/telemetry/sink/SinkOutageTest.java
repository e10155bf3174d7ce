package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Times;
import static io.mcphub.telemetry.sink.SinkTestSupport.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.testing.TestDatabase.EmbeddedServer;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stops a real (embedded) PostgreSQL under the sink and starts it again. */
class SinkOutageTest {

    private EmbeddedServer pg;
    private PostgresTelemetrySink sink;

    @BeforeEach
    void startServer() {
        pg = EmbeddedServer.start(0);
    }

    @AfterEach
    void stopServer() {
        if (sink != null) {
            sink.close();
        }
        pg.close();
    }

    private PostgresTelemetrySink startSink(int ringSize, int batchSize) {
        return PostgresTelemetrySink.start(SinkTestSupport.settings()
                .ringSize(ringSize).batchSize(batchSize).connectTimeout(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ofSeconds(2)).build(),
                new DatabaseTarget(pg.server().jdbcUrl("postgres"), "postgres", "", null));
    }

    private static ToolExecutionRecord execution(long i) {
        return new ToolExecutionRecord("acme", "hub", "srv", "tool", Times.micros(Instant.now(), "startedAt"), i, Outcome.SUCCESS, null, null,
                null, null, null, "req-" + i, null, null, ExecutionSide.DOWNSTREAM);
    }

    @Test
    void databaseStoppedAndRestartedMidStreamLosesNothingThatFitInTheRing() throws Exception {
        sink = startSink(4_096, 500);
        for (int i = 0; i < 1_000; i++) {
            assertTrue(sink.publish(execution(i)));
        }
        assertTrue(sink.flush(Duration.ofSeconds(30)));

        pg.stop();
        for (int i = 1_000; i < 4_000; i++) {
            assertTrue(sink.publish(execution(i)), "the ring absorbs records while the database is down");
        }
        assertFalse(sink.flush(Duration.ofMillis(1_500)), "nothing can be written while the database is down");
        assertTrue(sink.stats().retries() > 0);

        pg.restart();
        assertTrue(sink.flush(Duration.ofSeconds(60)));
        try (Connection c = pg.server().connect("postgres")) {
            assertEquals(4_000, count(c, "SELECT count(*) FROM tool_executions"));
            assertEquals(4_000, count(c, "SELECT count(DISTINCT request_id) FROM tool_executions"), "each exactly once");
        }
        assertEquals(0, sink.stats().dropped());
        assertEquals(0, sink.stats().lost());
    }

    @Test
    void aFullRingDropsAndCountsWithoutBlockingProducers() throws Exception {
        sink = startSink(1_024, 100);
        pg.stop();
        int producers = 4;
        int perProducer = 5_000;
        AtomicLong refused = new AtomicLong();
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            threads[p] = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    if (!sink.publish(execution(base + i))) {
                        refused.incrementAndGet();
                    }
                }
            });
            threads[p].start();
        }
        for (Thread t : threads) {
            // The database stays down throughout: a producer that waited on it would never finish.
            t.join(10_000);
            assertFalse(t.isAlive(), "a producer blocked while the database was down");
        }
        SinkStats.Snapshot during = sink.stats();
        assertEquals(producers * perProducer, during.accepted() + during.dropped(), "every record accepted or dropped");
        assertEquals(refused.get(), during.dropped(), "publish() reports each drop");
        // the ring, plus the batch each write lane (one per pool connection, 2 by default) holds while it retries,
        // plus the batch the sink thread gathered (its slots are freed once it took their records)
        int lanes = SinkTestSupport.settings().build().poolSize();
        assertTrue(during.accepted() >= 1_024 && during.accepted() <= 1_024 + (lanes + 1) * 100, "accepted " + during.accepted());

        pg.restart();
        assertTrue(sink.flush(Duration.ofSeconds(60)));
        sink.close();
        try (Connection c = pg.server().connect("postgres")) {
            assertEquals(during.accepted(), count(c, "SELECT count(*) FROM tool_executions"), "sent = stored + dropped");
            assertEquals(during.dropped(), count(c, "SELECT max(value)::bigint FROM infra_metrics "
                    + "WHERE scope = 'agent' AND metric = 'telemetry.ring.dropped'"), "drops reported as telemetry");
        }
        sink = null;
    }
}
