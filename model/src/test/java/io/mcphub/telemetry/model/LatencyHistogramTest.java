package io.mcphub.telemetry.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinTheRelativeErrorOfTheExactOnes() {
        Random random = new Random(42);
        long[] durations = new long[20_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < durations.length; i++) {
            durations[i] = 1 + (long) Math.exp(random.nextDouble() * 16); // 1 µs .. ~9 s, log-uniform
            h.add(durations[i]);
        }
        Arrays.sort(durations);
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            long exact = durations[(int) Math.ceil(q * durations.length) - 1];
            double error = Math.abs(h.quantile(q) - exact) / exact;
            assertTrue(error <= LatencyHistogram.RELATIVE_ERROR, "q " + q + ": " + h.quantile(q) + " vs " + exact);
        }
        assertEquals(durations.length, h.count());
    }

    @Test
    void storedHistogramsMergeKeyByKeyFromReusedBuffers() {
        LatencyHistogram merged = new LatencyHistogram();
        short[] keys = {10, 20, 30, 99};
        long[] counts = {1, 2, 3, 1_000};
        merged.addAll(keys, counts, 3); // the fourth entry is a left-over of a longer earlier row
        merged.addAll(new short[] {5, 20}, new long[] {7, 8});
        assertArrayEquals(new short[] {5, 10, 20, 30}, merged.keys());
        assertArrayEquals(new long[] {7, 1, 10, 3}, merged.counts());
        assertEquals(21, merged.count());
        assertEquals(LatencyHistogram.value(20), merged.quantile(0.5));
    }

    @Test
    void mergingManyStoredRowsEqualsAddingEveryDuration() {
        Random random = new Random(7);
        LatencyHistogram oneByOne = new LatencyHistogram();
        LatencyHistogram merged = new LatencyHistogram();
        for (int row = 0; row < 200; row++) {
            LatencyHistogram stored = new LatencyHistogram();
            for (int d = 0; d < 1 + random.nextInt(300); d++) {
                long micros = (long) Math.exp(random.nextDouble() * (4 + row % 12));
                stored.add(micros);
                oneByOne.add(micros);
            }
            merged.addAll(stored.keys(), stored.counts());
        }
        merged.addAll(new short[] {300, 2, 300}, new long[] {1, 2, 3}); // out of order and repeated: still merged
        oneByOne.add(300, 4);
        oneByOne.add(2, 2);
        assertArrayEquals(oneByOne.keys(), merged.keys());
        assertArrayEquals(oneByOne.counts(), merged.counts());
        assertEquals(oneByOne.count(), merged.count());
    }

    @Test
    void moreEntriesThanTheArraysHoldAreRefused() {
        LatencyHistogram h = new LatencyHistogram();
        assertThrows(IllegalArgumentException.class, () -> h.addAll(new short[] {1, 2}, new long[] {1}, 2));
        assertEquals(0, h.count());
    }
}
