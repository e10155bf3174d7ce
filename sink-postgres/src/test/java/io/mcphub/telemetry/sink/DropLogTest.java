package io.mcphub.telemetry.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the drop log says, tick by tick (the clock is the test's): the first drop, a rate, the end. */
class DropLogTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void firstDropAtOnceThenTheRatePerWindowThenOneLineWhenDropsStop() {
        AtomicLong dropped = new AtomicLong();
        DropLog log = new DropLog(dropped::get, 1_024, () -> "unreachable (refused)");
        assertNull(log.tick(0), "nothing dropped, nothing said");
        dropped.set(3);
        String first = log.tick(1 * S);
        assertEquals("telemetry ring full (1,024 records): dropping records (3 so far, counted as telemetry.ring.dropped); "
                + "database: unreachable (refused)", first);
        dropped.set(5_000);
        for (int s = 2; s <= 10; s++) {
            assertNull(log.tick(s * S), "one line per window, however many drops");
        }
        String rate = log.tick(11 * S);
        assertTrue(rate.startsWith("telemetry dropped 5,000 records in the last 10 s (500/s), 5,000 in all;"), rate);
        assertNull(log.tick(12 * S));
        String stopped = log.tick(21 * S);
        assertEquals("telemetry drops stopped: 5,000 records dropped in all", stopped);
        for (int s = 22; s <= 40; s++) {
            assertNull(log.tick(s * S), "quiet once drops stopped");
        }
        dropped.set(5_001);
        assertTrue(log.tick(41 * S).startsWith("telemetry ring full"), "a new episode starts with its first drop");
    }
}
