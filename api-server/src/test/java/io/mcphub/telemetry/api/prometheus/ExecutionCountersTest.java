package io.mcphub.telemetry.api.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.api.live.FeedItem;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A flood of distinct tool names: the series stay bounded, and the calls past the bound still count. */
class ExecutionCountersTest {

    private static FeedItem call(String tool) {
        return new FeedItem(FeedItem.Kind.EXECUTION, 1, Instant.now(), "srv", Map.of("server_name", "srv",
                "tool_name", tool, "side", "served", "duration_ms", 1.5, "outcome", "success"));
    }

    @Test
    void pastTheCapCallsGoToOneOverflowSeriesAndAreCounted() {
        ExecutionCounters c = new ExecutionCounters();
        int extra = 250;
        for (int i = 0; i < ExecutionCounters.MAX_SERIES + extra; i++) {
            c.offer(call("tool-" + i), null);
        }
        c.offer(call("tool-0"), null); // a known series still counts where it belongs
        assertEquals(ExecutionCounters.MAX_SERIES + 1, c.series.size(), "bounded, plus one overflow series");
        ExecutionCounters.Series overflow = c.series.get(new ExecutionCounters.Key(ExecutionCounters.OVERFLOW,
                ExecutionCounters.OVERFLOW, "served"));
        assertEquals(extra, overflow.count);
        assertEquals(extra, c.droppedSeries.sum());
        assertEquals(2, c.series.get(new ExecutionCounters.Key("srv", "tool-0", "served")).count);
        long total = c.series.values().stream().mapToLong(s -> s.count).sum();
        assertTrue(total == ExecutionCounters.MAX_SERIES + extra + 1, "every call counted somewhere: " + total);
    }
}
