package io.mcphub.telemetry.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ToolDigestTest {

    @Test
    void entriesComeBackAsWritten() {
        ToolDigest.Writer w = new ToolDigest.Writer();
        w.add("srv-ü", "tool/1", 3, 1, 4_000, 2, 3_000, 1_700_000_000_000_000L, new short[] {0, 5, 300}, new long[] {1, 1, 1}, 3, 2)
                .failure("McpError", "tool_error", 2, 1_700_000_000_000_001L, "bad ü input")
                .failure("timeout", "timeout", 1, 7, null);
        w.add("s", "", Long.MAX_VALUE, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, -5, new short[] {1092}, new long[] {Long.MAX_VALUE}, 1, 0);
        w.add("s", "empty", 0, 0, 0, 0, 0, Long.MIN_VALUE, new short[0], new long[0], 0, 0);
        assertEquals(3, w.entries());

        ToolDigest.Reader r = new ToolDigest.Reader(w.toByteArray());
        assertTrue(r.next());
        assertEquals("srv-ü", r.server());
        assertEquals("tool/1", r.tool());
        assertEquals(3, r.calls());
        assertEquals(1, r.errors());
        assertEquals(4_000, r.totalDurationUs());
        assertEquals(2, r.minDurationUs());
        assertEquals(3_000, r.maxDurationUs());
        assertEquals(1_700_000_000_000_000L, r.lastCalledAtMicros());
        LatencyHistogram h = new LatencyHistogram();
        r.addLatencyTo(h);
        assertArrayEquals(new short[] {0, 5, 300}, h.keys());
        assertArrayEquals(new long[] {1, 1, 1}, h.counts());
        assertEquals(2, r.failures());
        assertEquals("McpError", r.errorClass(0));
        assertEquals("tool_error", r.outcome(0));
        assertEquals(2, r.failureErrors(0));
        assertEquals(1_700_000_000_000_001L, r.failureLastSeenMicros(0));
        assertEquals("bad ü input", r.failureLastMessage(0));
        assertEquals("timeout", r.errorClass(1));
        assertEquals(7, r.failureLastSeenMicros(1));
        assertEquals(null, r.failureLastMessage(1));

        assertTrue(r.next());
        assertEquals("", r.tool());
        assertEquals(Long.MAX_VALUE, r.calls());
        assertEquals(-5, r.lastCalledAtMicros());
        LatencyHistogram big = new LatencyHistogram();
        r.addLatencyTo(big);
        assertArrayEquals(new long[] {Long.MAX_VALUE}, big.counts());

        assertTrue(r.next());
        assertEquals(Long.MIN_VALUE, r.lastCalledAtMicros());
        LatencyHistogram none = new LatencyHistogram();
        r.addLatencyTo(none);
        assertEquals(0, none.count());
        assertFalse(r.next());
    }

    /** Digests of random increments, merged through ToolTotals, equal every duration added one by one. */
    @Test
    void mergedDigestsEqualTheDurationsTheyHold() {
        SplittableRandom random = new SplittableRandom(7);
        Map<String, ToolTotals> merged = new LinkedHashMap<>();
        Map<String, LatencyHistogram> direct = new LinkedHashMap<>();
        Map<String, long[]> sums = new LinkedHashMap<>();
        Map<String, Long> failures = new LinkedHashMap<>();
        Map<String, Long> failureCounts = new LinkedHashMap<>();
        for (int increment = 0; increment < 40; increment++) {
            ToolDigest.Writer w = new ToolDigest.Writer();
            for (int t = 0; t < 30; t++) {
                if (random.nextInt(3) == 0) {
                    continue;
                }
                String tool = "tool-" + t;
                ToolTotals one = new ToolTotals("server", tool);
                for (int call = random.nextInt(1, 50); call > 0; call--) {
                    long d = (long) Math.exp(random.nextDouble() * 20);
                    one.latency().add(d);
                    one.add(1, d % 7 == 0 ? 1 : 0, d, d, d, 1_000L * increment + call);
                    if (d % 7 == 0) {
                        long seen = 1_000L * increment + call;
                        one.failure("E" + (d % 2), "tool_error", 1, seen, () -> "message at " + seen);
                        failures.merge(tool + "/E" + (d % 2), seen, Math::max);
                        failureCounts.merge(tool + "/E" + (d % 2), 1L, Long::sum);
                    }
                    direct.computeIfAbsent(tool, k -> new LatencyHistogram()).add(d);
                    long[] s = sums.computeIfAbsent(tool, k -> new long[] {0, 0, 0, Long.MAX_VALUE, 0});
                    s[0]++;
                    s[1] += d % 7 == 0 ? 1 : 0;
                    s[2] += d;
                    s[3] = Math.min(s[3], d);
                    s[4] = Math.max(s[4], d);
                }
                w.add(one);
            }
            ToolDigest.Reader r = new ToolDigest.Reader(w.toByteArray());
            while (r.next()) {
                merged.computeIfAbsent(ToolTotals.key(r.server(), r.tool()), k -> new ToolTotals(r.server(), r.tool())).add(r);
            }
        }
        assertEquals(direct.keySet().size(), merged.size());
        for (ToolTotals t : merged.values()) {
            long[] s = sums.get(t.tool());
            assertEquals(s[0], t.calls(), t.tool());
            assertEquals(s[1], t.errors(), t.tool());
            assertEquals(s[2], t.totalDurationUs(), t.tool());
            assertEquals(s[3], t.minDurationUs(), t.tool());
            assertEquals(s[4], t.maxDurationUs(), t.tool());
            assertArrayEquals(direct.get(t.tool()).keys(), t.latency().keys(), t.tool());
            assertArrayEquals(direct.get(t.tool()).counts(), t.latency().counts(), t.tool());
            for (ToolTotals.Failure f : t.failures()) {
                String k = t.tool() + "/" + f.errorClass();
                assertEquals(failureCounts.get(k), f.errors(), k);
                assertEquals(failures.get(k), f.lastSeenMicros(), k);
                assertEquals("message at " + failures.get(k), f.lastMessage(), "the latest failure's message");
            }
            assertEquals(failureCounts.keySet().stream().filter(k -> k.startsWith(t.tool() + "/")).count(), t.failures().size());
        }
        // and a digest of the merged figures reads back the same
        ToolDigest.Writer all = new ToolDigest.Writer();
        merged.values().forEach(all::add);
        ToolDigest.Reader r = new ToolDigest.Reader(all.toByteArray());
        for (ToolTotals t : merged.values()) {
            assertTrue(r.next());
            assertEquals(t.tool(), r.tool());
            assertEquals(t.calls(), r.calls());
            LatencyHistogram h = new LatencyHistogram();
            r.addLatencyTo(h);
            assertArrayEquals(t.latency().counts(), h.counts());
            assertEquals(t.failures().size(), r.failures());
        }
        assertFalse(r.next());
    }

    @Test
    void malformedDigestsAreRefusedWithWhereTheyBreak() {
        assertThrows(IllegalStateException.class, () -> new ToolDigest.Reader(new byte[0]));
        IllegalStateException version = assertThrows(IllegalStateException.class, () -> new ToolDigest.Reader(new byte[] {9}));
        assertTrue(version.getMessage().contains("version 9"), version.getMessage());

        ToolDigest.Writer w = new ToolDigest.Writer();
        w.add("s", "t", 1, 0, 10, 10, 10, 5, new short[] {3, 4}, new long[] {1, 1}, 2, 1).failure("E", "tool_error", 1, 5, "m");
        byte[] whole = w.toByteArray();
        for (int cut = 2; cut < whole.length; cut++) {
            ToolDigest.Reader r = new ToolDigest.Reader(Arrays.copyOf(whole, cut));
            IllegalStateException e = assertThrows(IllegalStateException.class, r::next, "cut at " + cut);
            assertTrue(e.getMessage().contains("malformed at byte"), e.getMessage());
        }
        byte[] endless = new byte[13];
        Arrays.fill(endless, (byte) 0xFF);
        endless[0] = ToolDigest.VERSION;
        assertThrows(IllegalStateException.class, () -> new ToolDigest.Reader(endless).next());
    }

    @Test
    void writerRefusesWhatCannotBeStored() {
        ToolDigest.Writer w = new ToolDigest.Writer();
        assertThrows(IllegalArgumentException.class,
                () -> w.add("s", "t", -1, 0, 0, 0, 0, 0, new short[0], new long[0], 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> w.add("s", "t", 1, 0, 0, 0, 0, 0, new short[] {5, 5}, new long[] {1, 1}, 2, 0));
        assertThrows(IllegalArgumentException.class,
                () -> w.add("s", "t", 1, 0, 0, 0, 0, 0, new short[] {5, 4}, new long[] {1, 1}, 2, 0));
        assertThrows(IllegalArgumentException.class,
                () -> w.add("s", "t", 1, 0, 0, 0, 0, 0, new short[] {5}, new long[] {-1}, 1, 0));
        ToolDigest.Writer owing = new ToolDigest.Writer().add("s", "t", 1, 1, 0, 0, 0, 0, new short[0], new long[0], 0, 1);
        assertThrows(IllegalStateException.class, owing::toByteArray, "a failure kind announced and not written");
        owing.failure("E", "tool_error", 1, 0, null);
        assertThrows(IllegalStateException.class, () -> owing.failure("F", "tool_error", 1, 0, null), "one more than announced");
        assertEquals(1, owing.entries());
    }
}
