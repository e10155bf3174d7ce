package io.mcphub.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallFilesTest {

    @Test
    void parseAcceptsOnlyPlainDecimalDigits() {
        assertEquals(42, SmallFiles.parseNonNegative("42"));
        assertEquals(SmallFiles.ABSENT, SmallFiles.parseNonNegative("-1"));
        assertEquals(SmallFiles.ABSENT, SmallFiles.parseNonNegative("+1"));
        assertEquals(SmallFiles.ABSENT, SmallFiles.parseNonNegative("NaN"));
        assertEquals(SmallFiles.ABSENT, SmallFiles.parseNonNegative("1e3"));
        assertEquals(SmallFiles.ABSENT, SmallFiles.parseNonNegative("max"));
        assertEquals(SmallFiles.ABSENT, SmallFiles.parseNonNegative(""));
        assertEquals(SmallFiles.ABSENT, SmallFiles.parseNonNegative(null));
    }

    @Test
    void parseMapsNumbersBeyondLongRangeToHuge() {
        assertEquals(SmallFiles.HUGE, SmallFiles.parseNonNegative("18446744073709551615"));
    }

    @Test
    void keyedValueMatchesWholeKeyOnly() {
        String oomControl = "oom_kill_disable 1\nunder_oom 0\noom_kill 5\n";

        assertEquals(5, SmallFiles.keyedValue(oomControl, "oom_kill"));
        assertEquals(1, SmallFiles.keyedValue(oomControl, "oom_kill_disable"));
        assertEquals(SmallFiles.ABSENT, SmallFiles.keyedValue(oomControl, "oom"));
    }

    @Test
    void keyedValueConvertsKilobytesToBytesAndToleratesColonsAndTabs() {
        assertEquals(2048, SmallFiles.keyedValue("VmPeak:\t9 kB\nVmRSS:\t       2 kB\n", "VmRSS"));
        assertEquals(7, SmallFiles.keyedValue("HugePages_Total:       7\n", "HugePages_Total"));
    }

    @Test
    void keyedValueOnLastLineWithoutNewlineIsFound() {
        assertEquals(3, SmallFiles.keyedValue("a 1\nb 3", "b"));
    }

    @Test
    void readOfMissingFileReturnsNull(@TempDir Path dir) {
        assertNull(SmallFiles.read(dir.resolve("missing")));
        assertEquals(SmallFiles.ABSENT, SmallFiles.readLong(dir.resolve("missing")));
        assertNull(SmallFiles.read(null));
    }
}
