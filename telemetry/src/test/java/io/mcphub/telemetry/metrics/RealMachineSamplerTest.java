package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;
import static io.mcphub.telemetry.metrics.Fixtures.byName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Runs against the real /proc and /sys/fs/cgroup of the build machine (Linux). */
class RealMachineSamplerTest {

    @Test
    void realSampleHasHeapThreadsCpuCountAndOnlyFiniteNonNegativeUniqueValues() {
        // G1 only counts retired regions as used; a humongous array is accounted immediately, so heap used
        // is > 0 even if this test happens to run first in a fresh JVM.
        byte[] ballast = new byte[4 * 1024 * 1024];

        List<MetricSample> samples = new InfraMetricsSampler().sample();

        Map<String, Double> jvm = byName(samples, MetricScope.JVM);
        Map<String, Double> system = byName(samples, MetricScope.SYSTEM);
        assertTrue(jvm.get("jvm.heap.used_bytes") > 0, "heap used");
        assertTrue(jvm.get("jvm.threads.live") > 0, "live threads");
        assertNotNull(jvm.get("jvm.gc.collections"));
        assertEquals((double) Runtime.getRuntime().availableProcessors(), system.get("system.cpu.count"));
        Set<String> names = new HashSet<>();
        for (MetricSample s : samples) {
            assertTrue(Double.isFinite(s.value()) && s.value() >= 0, () -> "not finite/non-negative: " + s);
            assertTrue(names.add(s.scope() + "/" + s.name()), () -> "duplicate: " + s.name());
            assertTrue(s.name().matches("[a-z0-9_.]+"), () -> "name not dotted lower case: " + s.name());
        }
        assertTrue(ballast.length > 0);
    }

    @Test
    void realCpuLoadsStayWithinZeroAndOneAcrossConsecutiveSamples() {
        InfraMetricsSampler sampler = new InfraMetricsSampler();
        for (int i = 0; i < 3; i++) {
            List<MetricSample> samples = sampler.sample();
            Double process = byName(samples, MetricScope.PROCESS).get("process.cpu.load");
            Double system = byName(samples, MetricScope.SYSTEM).get("system.cpu.load");
            assertNotNull(process, "process.cpu.load is available on HotSpot from the first sample");
            assertTrue(process <= 1.0, () -> "process.cpu.load " + process);
            assertTrue(system == null || system <= 1.0, () -> "system.cpu.load " + system);
        }
    }

    @Test
    void realSampleOnLinuxIncludesProcSourcedMetrics() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/meminfo")), "Linux only");

        List<MetricSample> samples = new InfraMetricsSampler().sample();

        assertTrue(byName(samples, MetricScope.PROCESS).get("process.rss_bytes") > 0);
        assertTrue(byName(samples, MetricScope.SYSTEM).get("system.memory.available_bytes") > 0);
    }
}
