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

class CgroupV2MetricsTest {

    @TempDir
    Path root;
    Path proc;
    Path cgroup;

    @BeforeEach
    void unifiedHierarchy() {
        proc = mkdirs(root.resolve("proc"));
        cgroup = mkdirs(root.resolve("sys/fs/cgroup"));
        write(cgroup.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
    }

    private Map<String, Double> containerMetrics() {
        return byName(new InfraMetricsSampler(proc, cgroup).sample(), MetricScope.CONTAINER);
    }

    private void writeLimitedCgroup(Path dir) {
        write(dir.resolve("memory.max"), "536870912\n");
        write(dir.resolve("memory.current"), "123456789\n");
        write(dir.resolve("cpu.max"), "150000 100000\n");
        write(dir.resolve("cpu.stat"), """
                usage_usec 2500000
                user_usec 2000000
                system_usec 500000
                nr_periods 40
                nr_throttled 7
                throttled_usec 35000
                """);
        write(dir.resolve("pids.current"), "42\n");
        write(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 2\noom_kill 1\noom_group_kill 0\n");
    }

    @Test
    void limitsAndUsageAreReadFromRootWhenProcessIsInRootCgroup() {
        write(proc.resolve("self/cgroup"), "0::/\n");
        writeLimitedCgroup(cgroup);

        Map<String, Double> m = containerMetrics();

        assertEquals(536870912.0, m.get("container.memory.limit_bytes"));
        assertEquals(123456789.0, m.get("container.memory.usage_bytes"));
        assertEquals(1.5, m.get("container.cpu.limit_cores"));
        assertEquals(2500.0, m.get("container.cpu.usage_ms"));
        assertEquals(7.0, m.get("container.cpu.throttled_periods"));
        assertEquals(35.0, m.get("container.cpu.throttled_ms"));
        assertEquals(42.0, m.get("container.pids.current"));
        assertEquals(1.0, m.get("container.memory.oom_kills"), "oom_kill, not oom or oom_group_kill");
    }

    @Test
    void maxMeansUnlimitedSoNoLimitMetricsAreEmitted() {
        write(proc.resolve("self/cgroup"), "0::/\n");
        write(cgroup.resolve("memory.max"), "max\n");
        write(cgroup.resolve("cpu.max"), "max 100000\n");
        write(cgroup.resolve("memory.current"), "1000\n");

        Map<String, Double> m = containerMetrics();

        assertFalse(m.containsKey("container.memory.limit_bytes"));
        assertFalse(m.containsKey("container.cpu.limit_cores"));
        assertEquals(1000.0, m.get("container.memory.usage_bytes"), "usage is still reported without a limit");
        assertFalse(new InfraMetricsSampler(proc, cgroup).inContainer());
    }

    @Test
    void ownCgroupFromProcSelfCgroupIsPreferredWhenThatDirectoryExists() {
        Path own = cgroup.resolve("system.slice/app.service");
        write(proc.resolve("self/cgroup"), "0::/system.slice/app.service\n");
        writeLimitedCgroup(own);
        write(cgroup.resolve("memory.current"), "999\n"); // root-level value must be ignored

        Map<String, Double> m = containerMetrics();

        assertEquals(123456789.0, m.get("container.memory.usage_bytes"));
        assertEquals(536870912.0, m.get("container.memory.limit_bytes"));
    }

    @Test
    void fallsBackToCgroupRootWhenOwnPathIsNotMountedInside() {
        // Typical container without a cgroup namespace: the host path is not visible, the root is ours.
        write(proc.resolve("self/cgroup"), "0::/kubepods.slice/pod123/cri-containerd-abc.scope\n");
        writeLimitedCgroup(cgroup);

        assertEquals(536870912.0, containerMetrics().get("container.memory.limit_bytes"));
    }

    @Test
    void pathEscapingTheCgroupMountIsIgnored() {
        mkdirs(root.resolve("sys/fs/outside"));
        write(root.resolve("sys/fs/outside/memory.current"), "666\n");
        write(proc.resolve("self/cgroup"), "0::/../outside\n");
        write(cgroup.resolve("memory.current"), "1000\n");

        assertEquals(1000.0, containerMetrics().get("container.memory.usage_bytes"));
    }

    @Test
    void missingProcSelfCgroupUsesCgroupRoot() {
        writeLimitedCgroup(cgroup);

        assertEquals(1.5, containerMetrics().get("container.cpu.limit_cores"));
    }

    @Test
    void cpuLimitAloneMarksProcessAsInContainer() {
        write(cgroup.resolve("cpu.max"), "50000 100000\n");

        InfraMetricsSampler sampler = new InfraMetricsSampler(proc, cgroup);

        assertEquals(0.5, byName(sampler.sample(), MetricScope.CONTAINER).get("container.cpu.limit_cores"));
        assertTrue(sampler.inContainer());
    }
}
