package io.mcphub.telemetry.sink;

import static io.mcphub.telemetry.sink.SinkTestSupport.count;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sink's own counters reach the database while a backlog cannot: they are written beside the ring,
 * not queued behind the very records they count (nor dropped by the full ring they report on).
 */
class SinkCountersTest {

    @AutoClose
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    @Test
    void dropsAreReportedWhileTheBacklogWaitsOnALockedTable() throws Exception {
        PostgresTelemetrySink sink = PostgresTelemetrySink.start(SinkTestSupport.settings().ringSize(256).batchSize(64)
                .statsInterval(Duration.ofMillis(300)).shutdownTimeout(Duration.ofSeconds(2)).build(),
                SinkTestSupport.target(db));
        try (Connection lock = db.connect(); Connection read = db.connect()) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE tool_executions IN ACCESS EXCLUSIVE MODE");
            }
            long refused = 0;
            for (int i = 0; i < 2_000; i++) {
                if (!sink.publish(new ToolExecutionRecord("acme", "hub", "srv", "tool",
                        Times.micros(Instant.now(), "startedAt"), i, Outcome.SUCCESS, null, null, null, null, null,
                        "counted-" + i, null, null, ExecutionSide.DOWNSTREAM))) {
                    refused++;
                }
            }
            assertTrue(refused > 1_000, "the ring is full behind the lock: " + refused);
            String sql = "SELECT coalesce(max(value), 0)::bigint FROM infra_metrics WHERE tenant_id = 'sink-self' "
                    + "AND scope = 'agent' AND metric = 'telemetry.ring.dropped'";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long reported = 0;
            while (reported < refused && System.nanoTime() < deadline) {
                Thread.sleep(100);
                reported = count(read, sql);
            }
            assertTrue(reported >= refused, "drops reported while tool_executions is still locked: " + reported
                    + " of " + refused);
            lock.rollback();
        } finally {
            sink.close();
        }
    }
}
