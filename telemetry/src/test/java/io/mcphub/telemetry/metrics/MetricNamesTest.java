package io.mcphub.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class MetricNamesTest {

    @Test
    void collectorAndPoolNamesBecomeLowerCaseUnderscoreSegments() {
        assertEquals("g1_young_generation", MetricNames.sanitize("G1 Young Generation"));
        assertEquals("ps_marksweep", MetricNames.sanitize("PS MarkSweep"));
        assertEquals("zgc_cycles", MetricNames.sanitize("ZGC Cycles"));
        assertEquals("mapped_non_volatile_memory", MetricNames.sanitize("mapped - 'non-volatile memory'"));
    }

    @Test
    void labelWithoutAlphanumericsBecomesUnknown() {
        assertEquals("unknown", MetricNames.sanitize(" -- "));
        assertEquals("unknown", MetricNames.sanitize(null));
    }

    @Test
    void builtNamesAreReusedAcrossSamples() {
        MetricNames names = MetricNames.of(label -> "jvm.gc." + label + ".collections");

        String first = names.forLabel("G1 Old Generation");

        assertEquals("jvm.gc.g1_old_generation.collections", first);
        assertSame(first, names.forLabel("G1 Old Generation"));
    }
}
