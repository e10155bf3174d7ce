package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;
import static io.mcphub.telemetry.metrics.Fixtures.byName;
import static io.mcphub.telemetry.metrics.Fixtures.mkdirs;
import static io.mcphub.telemetry.metrics.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupV1MetricsTest {

    /** What v1 writes for "no limit": LONG_MAX rounded down to a 4 KiB page. */
    private static final String V1_UNLIMITED = "9223372036854771712\n";

    @TempDir
    Path root;
    Path proc;
    Path cgroup;

    @BeforeEach
    void perControllerHierarchies() {
        proc = mkdirs(root.resolve("proc"));
        cgroup = mkdirs(root.resolve("sys/fs/cgroup"));
        mkdirs(cgroup.resolve("memory"));
        mkdirs(cgroup.resolve("cpu"));
        mkdirs(cgroup.resolve("cpuacct"));
        mkdirs(cgroup.resolve("pids"));
    }

    private Map<String, Double> containerMetrics() {
        return byName(new InfraMetricsSampler(proc, cgroup).sample(), MetricScope.CONTAINER);
    }

    @Test
    void limitsAndUsageAreReadFromControllerDirectories() {
        write(cgroup.resolve("memory/memory.limit_in_bytes"), "1073741824\n");
        write(cgroup.resolve("memory/memory.usage_in_bytes"), "268435456\n");
        write(cgroup.resolve("memory/memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
        write(cgroup.resolve("cpu/cpu.cfs_quota_us"), "200000\n");
        write(cgroup.resolve("cpu/cpu.cfs_period_us"), "100000\n");
        write(cgroup.resolve("cpu/cpu.stat"), "nr_periods 10\nnr_throttled 4\nthrottled_time 8000000\n");
        write(cgroup.resolve("cpuacct/cpuacct.usage"), "404812641263\n");
        write(cgroup.resolve("pids/pids.current"), "17\n");

        Map<String, Double> m = containerMetrics();

        assertEquals(1073741824.0, m.get("container.memory.limit_bytes"));
        assertEquals(268435456.0, m.get("container.memory.usage_bytes"));
        assertEquals(3.0, m.get("container.memory.oom_kills"), "oom_kill, not oom_kill_disable");
        assertEquals(2.0, m.get("container.cpu.limit_cores"));
        assertEquals(4.0, m.get("container.cpu.throttled_periods"));
        assertEquals(8.0, m.get("container.cpu.throttled_ms"));
        assertEquals(404812.641263, m.get("container.cpu.usage_ms"), 1e-6);
        assertEquals(17.0, m.get("container.pids.current"));
        assertTrue(new InfraMetricsSampler(proc, cgroup).inContainer());
    }

    @Test
    void hugeSentinelAndNegativeQuotaMeanUnlimitedSoNoLimitMetricsAreEmitted() {
        write(cgroup.resolve("memory/memory.limit_in_bytes"), V1_UNLIMITED);
        write(cgroup.resolve("memory/memory.usage_in_bytes"), "5000\n");
        write(cgroup.resolve("cpu/cpu.cfs_quota_us"), "-1\n");
        write(cgroup.resolve("cpu/cpu.cfs_period_us"), "100000\n");

        Map<String, Double> m = containerMetrics();

        assertFalse(m.containsKey("container.memory.limit_bytes"));
        assertFalse(m.containsKey("container.cpu.limit_cores"));
        assertEquals(5000.0, m.get("container.memory.usage_bytes"));
        assertFalse(new InfraMetricsSampler(proc, cgroup).inContainer());
    }

    @Test
    void valueBeyondLongRangeIsTreatedAsUnlimited() {
        write(cgroup.resolve("memory/memory.limit_in_bytes"), "18446744073709551615\n");

        assertFalse(containerMetrics().containsKey("container.memory.limit_bytes"));
    }

    @Test
    void ownControllerPathsAreResolvedFromProcSelfCgroup() {
        // Hybrid host layout as seen on systemd machines: controllers listed per hierarchy, some co-mounted.
        write(proc.resolve("self/cgroup"), """
                12:pids:/user.slice
                4:memory:/process_api/abc
                3:cpu,cpuacct:/
                1:name=systemd:/user.slice
                0::/user.slice
                """);
        write(cgroup.resolve("memory/memory.usage_in_bytes"), "1\n");
        write(cgroup.resolve("memory/process_api/abc/memory.usage_in_bytes"), "2048\n");
        write(cgroup.resolve("memory/process_api/abc/memory.limit_in_bytes"), "4096\n");
        write(cgroup.resolve("pids/user.slice/pids.current"), "9\n");
        write(cgroup.resolve("cpuacct/cpuacct.usage"), "3000000\n");

        Map<String, Double> m = containerMetrics();

        assertEquals(2048.0, m.get("container.memory.usage_bytes"));
        assertEquals(4096.0, m.get("container.memory.limit_bytes"));
        assertEquals(9.0, m.get("container.pids.current"));
        assertEquals(3.0, m.get("container.cpu.usage_ms"));
    }

    @Test
    void unifiedSubdirectoryOnHybridHostDoesNotHideV1Controllers() {
        write(cgroup.resolve("unified/cgroup.controllers"), "\n");
        write(cgroup.resolve("memory/memory.usage_in_bytes"), "777\n");

        assertEquals(777.0, containerMetrics().get("container.memory.usage_bytes"));
    }

    @Test
    void onlySomeControllersMountedStillReportsTheOthers() {
        Path onlyMemory = mkdirs(root.resolve("other-cgroup"));
        write(onlyMemory.resolve("memory/memory.usage_in_bytes"), "321\n");

        Map<String, Double> m = byName(new InfraMetricsSampler(proc, onlyMemory).sample(), MetricScope.CONTAINER);

        assertEquals(Map.of("container.memory.usage_bytes", 321.0), m);
    }
}
