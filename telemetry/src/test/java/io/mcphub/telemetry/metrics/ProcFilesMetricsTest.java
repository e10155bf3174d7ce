package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;
import static io.mcphub.telemetry.metrics.Fixtures.byName;
import static io.mcphub.telemetry.metrics.Fixtures.mkdirs;
import static io.mcphub.telemetry.metrics.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFilesMetricsTest {

    @TempDir
    Path root;
    Path proc;

    @BeforeEach
    void procTree() {
        proc = mkdirs(root.resolve("proc"));
        write(proc.resolve("meminfo"), """
                MemTotal:       24684092 kB
                MemFree:        23893032 kB
                MemAvailable:   24109868 kB
                Buffers:            7912 kB
                SwapCached:            0 kB
                SwapTotal:       2097148 kB
                SwapFree:        2000000 kB
                """);
        write(proc.resolve("self/status"), """
                Name:\tjava
                VmPeak:\t 3060000 kB
                VmRSS:\t   46844 kB
                VmSwap:\t       0 kB
                """);
        write(proc.resolve("self/cgroup"), "0::/\n");
        write(proc.resolve("loadavg"), "0.63 0.62 0.41 2/345 12345\n");
    }

    private List<MetricSample> sample() {
        return new InfraMetricsSampler(proc, root.resolve("no-cgroup")).sample();
    }

    @Test
    void systemMemoryAndSwapComeFromMeminfoInBytes() {
        Map<String, Double> system = byName(sample(), MetricScope.SYSTEM);

        assertEquals(24684092.0 * 1024, system.get("system.memory.total_bytes"));
        assertEquals(23893032.0 * 1024, system.get("system.memory.free_bytes"));
        assertEquals(24109868.0 * 1024, system.get("system.memory.available_bytes"));
        assertEquals(2097148.0 * 1024, system.get("system.swap.total_bytes"));
        assertEquals(2000000.0 * 1024, system.get("system.swap.free_bytes"));
    }

    @Test
    void residentSetSizeComesFromSelfStatusVmRss() {
        assertEquals(46844.0 * 1024, byName(sample(), MetricScope.PROCESS).get("process.rss_bytes"));
    }

    @Test
    void loadAveragesComeFromLoadavg() {
        Map<String, Double> system = byName(sample(), MetricScope.SYSTEM);

        assertEquals(0.63, system.get("system.load_average.1m"));
        assertEquals(0.62, system.get("system.load_average.5m"));
        assertEquals(0.41, system.get("system.load_average.15m"));
    }

    @Test
    void systemCpuLoadIsBusyShareOfProcStatTicksSinceBootThenSincePreviousSample() {
        write(proc.resolve("stat"), "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1 2 3\n");
        InfraMetricsSampler sampler = new InfraMetricsSampler(proc, root.resolve("no-cgroup"));

        double sinceBoot = byName(sampler.sample(), MetricScope.SYSTEM).get("system.cpu.load");
        write(proc.resolve("stat"), "cpu  500 0 200 1200 100 0 0 0 0 0\n");
        double sincePrevious = byName(sampler.sample(), MetricScope.SYSTEM).get("system.cpu.load");

        assertEquals(0.2, sinceBoot, 1e-9, "idle and iowait count as not busy");
        assertEquals(0.5, sincePrevious, 1e-9);
    }

    @Test
    void procStatWithoutAggregateCpuLineLeavesSystemCpuLoadAbsent() {
        write(proc.resolve("stat"), "cpu0 1 2 3 4 5\n");

        assertFalse(byName(sample(), MetricScope.SYSTEM).containsKey("system.cpu.load"));
    }

    @Test
    void meminfoWithoutMemAvailableOmitsOnlyThatMetric() {
        // Kernels before 3.14 have no MemAvailable line.
        write(proc.resolve("meminfo"), "MemTotal: 1000 kB\nMemFree: 500 kB\n");

        Map<String, Double> system = byName(sample(), MetricScope.SYSTEM);

        assertFalse(system.containsKey("system.memory.available_bytes"));
        assertEquals(1000.0 * 1024, system.get("system.memory.total_bytes"));
    }

    @Test
    void garbageLoadavgLeavesLoadAverageMetricsAbsent() {
        write(proc.resolve("loadavg"), "NaN Infinity -1 x/y\n");

        Map<String, Double> system = byName(sample(), MetricScope.SYSTEM);

        assertFalse(system.containsKey("system.load_average.1m"));
        assertFalse(system.containsKey("system.load_average.5m"));
        assertFalse(system.containsKey("system.load_average.15m"));
    }
}
