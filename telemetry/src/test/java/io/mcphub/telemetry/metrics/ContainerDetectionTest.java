package io.mcphub.telemetry.metrics;

import static io.mcphub.telemetry.metrics.Fixtures.mkdirs;
import static io.mcphub.telemetry.metrics.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerDetectionTest {

    @TempDir
    Path root;
    Path proc;
    Path cgroup;

    @BeforeEach
    void emptyTrees() {
        proc = mkdirs(root.resolve("proc"));
        cgroup = mkdirs(root.resolve("sys/fs/cgroup"));
    }

    private boolean inContainer() {
        return new InfraMetricsSampler(proc, cgroup).inContainer();
    }

    @Test
    void plainHostIsNotAContainer() {
        write(proc.resolve("1/cgroup"), "0::/init.scope\n");

        assertFalse(inContainer());
    }

    @Test
    void dockerenvNextToProcMarksAContainer() {
        write(root.resolve(".dockerenv"), "");

        assertTrue(inContainer());
    }

    @Test
    void initCgroupNamingKubepodsMarksAContainer() {
        write(proc.resolve("1/cgroup"), "0::/kubepods.slice/kubepods-burstable.slice/cri-containerd-1.scope\n");

        assertTrue(inContainer());
    }

    @Test
    void initCgroupNamingDockerMarksAContainer() {
        write(proc.resolve("1/cgroup"), "4:memory:/docker/0123456789abcdef\n");

        assertTrue(inContainer());
    }

    @Test
    void cgroupV2MemoryLimitMarksAContainer() {
        write(cgroup.resolve("cgroup.controllers"), "memory\n");
        write(cgroup.resolve("memory.max"), "1048576\n");

        assertTrue(inContainer());
    }

    @Test
    void cgroupV1MemoryLimitMarksAContainer() {
        write(cgroup.resolve("memory/memory.limit_in_bytes"), "1048576\n");

        assertTrue(inContainer());
    }
}
