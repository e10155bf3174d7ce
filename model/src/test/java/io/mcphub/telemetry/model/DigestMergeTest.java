package io.mcphub.telemetry.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestMergeTest {

    private static byte[] digest(String tool, long calls, long errors, long durationUs, long lastMicros) {
        ToolTotals t = new ToolTotals("srv", tool);
        t.add(calls, errors, durationUs * calls, durationUs, durationUs, lastMicros);
        for (long i = 0; i < calls; i++) {
            t.latency().add(durationUs);
        }
        if (errors > 0) {
            t.failure("McpError", "tool_error", errors, lastMicros, () -> "at " + lastMicros);
        }
        return new ToolDigest.Writer().add(t).toByteArray();
    }

    @Test
    void eachKeysDigestsComeBackAsOneInTheOrderKeysCame() {
        DigestMerge<String> merge = new DigestMerge<>();
        merge.add("week-2", digest("echo", 2, 1, 100, 20));
        merge.add("week-1", digest("echo", 3, 0, 1_000, 10));
        merge.add("week-2", digest("echo", 1, 1, 5_000, 30));
        merge.add("week-2", digest("add", 4, 0, 7, 25));
        assertEquals(2, merge.size());
        Map<String, byte[]> rows = merge.drain();
        assertTrue(merge.isEmpty(), "drained");
        assertEquals(List.of("week-2", "week-1"), List.copyOf(rows.keySet()));
        ToolDigest.Reader r = new ToolDigest.Reader(rows.get("week-2"));
        assertTrue(r.next());
        assertEquals(List.of("echo", 3L, 2L, 5_200L, 100L, 5_000L, 30L),
                List.of(r.tool(), r.calls(), r.errors(), r.totalDurationUs(), r.minDurationUs(), r.maxDurationUs(), r.lastCalledAtMicros()));
        LatencyHistogram h = new LatencyHistogram();
        r.addLatencyTo(h);
        assertArrayEquals(new long[] {2, 1}, h.counts(), "100 µs twice, 5 ms once");
        assertEquals(1, r.failures());
        assertEquals(List.of(2L, 30L, "at 30"), List.of(r.failureErrors(0), r.failureLastSeenMicros(0), r.failureLastMessage(0)));
        assertTrue(r.next());
        assertEquals(List.of("add", 4L), List.of(r.tool(), r.calls()));
        assertFalse(r.next());
        assertTrue(merge.drain().isEmpty(), "nothing twice");
    }

    @Test
    void weeksStartOnMondayUtc() {
        for (LocalDate day = LocalDate.of(1970, 1, 1); day.isBefore(LocalDate.of(1970, 1, 20)); day = day.plusDays(1)) {
            check(day);
        }
        for (LocalDate day = LocalDate.of(2026, 11, 28); day.isBefore(LocalDate.of(2026, 12, 10)); day = day.plusDays(1)) {
            check(day);
        }
    }

    private static void check(LocalDate day) {
        // the first days of 1970 are in a week that began in 1969
        Instant monday = day.with(DayOfWeek.MONDAY).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        for (long offset : new long[] {0, 1, 86_399_999_999L}) {
            Instant t = start.plusNanos(offset * 1_000);
            assertEquals(monday, Times.weekStart(t), day + " +" + offset + " µs");
        }
    }
}
