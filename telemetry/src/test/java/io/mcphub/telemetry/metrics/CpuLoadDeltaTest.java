package io.mcphub.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CpuLoadDeltaTest {

    @Test
    void firstUpdateWithoutPrimingIsUnavailable() {
        assertEquals(-1, new CpuLoadDelta().update(10, 100));
    }

    @Test
    void loadIsBusyDeltaOverTotalDelta() {
        CpuLoadDelta delta = new CpuLoadDelta();
        delta.primeIfEmpty(0, 0);

        assertEquals(0.25, delta.update(25, 100));
        assertEquals(0.75, delta.update(100, 200));
    }

    @Test
    void primingIsIgnoredOnceAReferenceExists() {
        CpuLoadDelta delta = new CpuLoadDelta();
        delta.primeIfEmpty(0, 0);
        delta.primeIfEmpty(1000, 1000);

        assertEquals(0.5, delta.update(50, 100));
    }

    @Test
    void counterResetAndZeroIntervalAreUnavailable() {
        CpuLoadDelta delta = new CpuLoadDelta();
        delta.primeIfEmpty(500, 1000);

        assertEquals(-1, delta.update(100, 2000), "busy counter went backwards");
        assertEquals(-1, delta.update(150, 2000), "no time elapsed");
    }
}
