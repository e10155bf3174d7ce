package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;
import static io.mcphub.telemetry.metrics.Fixtures.byName;
import static io.mcphub.telemetry.metrics.Fixtures.mkdirs;
import static io.mcphub.telemetry.metrics.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MalformedSourcesTest {

    @TempDir
    Path root;

    @Test
    void garbageInCgroupV2FilesLeavesThoseMetricsAbsent() {
        Path proc = mkdirs(root.resolve("proc"));
        Path cgroup = mkdirs(root.resolve("cgroup"));
        write(cgroup.resolve("cgroup.controllers"), "memory cpu\n");
        write(proc.resolve("self/cgroup"), "this is : not :: a cgroup file\n\n:::\n");
        write(cgroup.resolve("memory.max"), "NaN\n");
        write(cgroup.resolve("memory.current"), "-5\n");
        write(cgroup.resolve("cpu.max"), "100000 0\n"); // zero period must not divide into Infinity
        write(cgroup.resolve("cpu.stat"), "usage_usec lots\nnr_throttled\nthrottled_usec 1e9\n");
        write(cgroup.resolve("pids.current"), "Infinity\n");
        write(cgroup.resolve("memory.events"), "\u0000\u00ff\u0001 garbage");
        write(cgroup.resolve("memory.stat"), "12 34");
        write(proc.resolve("1/cgroup"), "");

        InfraMetricsSampler sampler = new InfraMetricsSampler(proc, cgroup);
        List<MetricSample> samples = assertDoesNotThrow(sampler::sample);

        assertEquals(Map.of(), byName(samples, MetricScope.CONTAINER));
        assertFalse(sampler.inContainer());
    }

    @Test
    void emptyFilesLeaveMetricsAbsent() {
        Path proc = mkdirs(root.resolve("proc"));
        Path cgroup = mkdirs(root.resolve("cgroup"));
        for (String file : List.of("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes",
                "memory/memory.oom_control", "cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us", "cpu/cpu.stat",
                "cpuacct/cpuacct.usage", "pids/pids.current")) {
            write(cgroup.resolve(file), "");
        }
        write(proc.resolve("self/cgroup"), "");
        write(proc.resolve("self/status"), "");
        write(proc.resolve("meminfo"), "");
        write(proc.resolve("loadavg"), "");

        List<MetricSample> samples = assertDoesNotThrow(new InfraMetricsSampler(proc, cgroup)::sample);

        assertEquals(Map.of(), byName(samples, MetricScope.CONTAINER));
        assertFalse(byName(samples, MetricScope.PROCESS).containsKey("process.rss_bytes"));
        assertFalse(byName(samples, MetricScope.SYSTEM).containsKey("system.memory.available_bytes"));
    }

    @Test
    void missingProcAndCgroupTreesYieldOnlyJdkSourcedMetrics() {
        // What macOS and Windows look like: neither /proc nor /sys/fs/cgroup exists.
        InfraMetricsSampler sampler = new InfraMetricsSampler(root.resolve("no-proc"), root.resolve("no-cgroup"));

        List<MetricSample> samples = assertDoesNotThrow(sampler::sample);

        assertTrue(byName(samples, MetricScope.CONTAINER).isEmpty());
        assertFalse(byName(samples, MetricScope.PROCESS).containsKey("process.rss_bytes"));
        assertFalse(byName(samples, MetricScope.SYSTEM).containsKey("system.memory.available_bytes"));
        assertTrue(byName(samples, MetricScope.JVM).containsKey("jvm.heap.committed_bytes"));
        assertTrue(byName(samples, MetricScope.SYSTEM).containsKey("system.cpu.count"));
        assertFalse(sampler.inContainer());
    }

    @Test
    void cgroupPathThatIsAFileInsteadOfADirectoryIsIgnored() {
        Path proc = mkdirs(root.resolve("proc"));
        Path notADir = root.resolve("cgroup");
        write(notADir, "surprise");

        List<MetricSample> samples = assertDoesNotThrow(new InfraMetricsSampler(proc, notADir)::sample);

        assertTrue(byName(samples, MetricScope.CONTAINER).isEmpty());
    }

    @Test
    void directoryWhereAFileIsExpectedLeavesMetricAbsent() {
        Path proc = mkdirs(root.resolve("proc"));
        Path cgroup = mkdirs(root.resolve("cgroup"));
        write(cgroup.resolve("cgroup.controllers"), "memory\n");
        mkdirs(cgroup.resolve("memory.max"));
        write(cgroup.resolve("memory.current"), "10\n");

        Map<String, Double> m = byName(new InfraMetricsSampler(proc, cgroup).sample(), MetricScope.CONTAINER);

        assertEquals(Map.of("container.memory.usage_bytes", 10.0), m);
    }
}
