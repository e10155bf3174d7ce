package io.mcphub.telemetry.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HistogramTextTest {

    @Test
    void arrayTextsMergeIntoTheHistogram() {
        HistogramText reader = new HistogramText();
        LatencyHistogram h = new LatencyHistogram();
        reader.addTo(h, "{0,3,170}", "{4,1,9000000000}");
        reader.addTo(h, "{}", "{}");
        reader.addTo(h, "{3}", "{2}"); // shorter than the row before: the buffers' rest is not read
        assertArrayEquals(new short[] {0, 3, 170}, h.keys());
        assertArrayEquals(new long[] {4, 3, 9_000_000_000L}, h.counts());
    }

    @Test
    void longHistogramsGrowTheBuffers() {
        StringBuilder keys = new StringBuilder("{");
        StringBuilder counts = new StringBuilder("{");
        for (int k = 0; k < 600; k++) {
            keys.append(k == 0 ? "" : ",").append(k);
            counts.append(k == 0 ? "" : ",").append(k + 1);
        }
        LatencyHistogram h = new LatencyHistogram();
        new HistogramText().addTo(h, keys.append('}').toString(), counts.append('}').toString());
        assertEquals(600 * 601 / 2, h.count());
        assertEquals(600, h.keys().length);
    }

    @Test
    void malformedOrMismatchedArraysAreRefused() {
        HistogramText reader = new HistogramText();
        LatencyHistogram h = new LatencyHistogram();
        assertThrows(IllegalStateException.class, () -> reader.addTo(h, "{1,2}", "{1}"));
        assertThrows(IllegalStateException.class, () -> reader.addTo(h, "{1,,2}", "{1,2}"));
        assertThrows(IllegalStateException.class, () -> reader.addTo(h, "{1,x}", "{1,2}"));
        assertThrows(IllegalStateException.class, () -> reader.addTo(h, null, "{1}"));
        assertThrows(IllegalStateException.class, () -> reader.addTo(h, "1,2", "{1,2}"));
        assertEquals(0, h.count());
    }
}
