package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;

/** CPU, file descriptors and resident memory of this process. */
final class ProcessMetrics {

    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final Path selfStatus;
    private final CpuLoadDelta cpuLoad = new CpuLoadDelta();

    ProcessMetrics(Path procRoot) {
        this.selfStatus = procRoot.resolve("self").resolve("status");
    }

    void collectCpuAndFds(MetricBuffer out) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        // The com.sun extensions are missing on some JVMs (J9 variants, restricted module graphs): skip, don't fail.
        if (os instanceof com.sun.management.OperatingSystemMXBean sunOs) {
            long cpuNanos = sunOs.getProcessCpuTime();
            if (cpuNanos >= 0) {
                out.add(MetricScope.PROCESS, "process.cpu.time_ms", cpuNanos / NANOS_PER_MILLI);
                addCpuLoad(out, cpuNanos);
            }
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unixOs) {
            out.add(MetricScope.PROCESS, "process.open_fds", unixOs.getOpenFileDescriptorCount());
            out.add(MetricScope.PROCESS, "process.max_fds", unixOs.getMaxFileDescriptorCount());
        }
    }

    /**
     * CPU time used over wall time elapsed, per available core. The first sample measures from JVM start, so
     * it is an average since start rather than absent.
     */
    private void addCpuLoad(MetricBuffer out, long cpuNanos) {
        long nowNanos = System.nanoTime();
        cpuLoad.primeIfEmpty(0, nowNanos - ManagementFactory.getRuntimeMXBean().getUptime() * NANOS_PER_MILLI);
        double coresBusy = cpuLoad.update(cpuNanos, nowNanos);
        if (coresBusy >= 0) {
            out.add(MetricScope.PROCESS, "process.cpu.load",
                    clampLoad(coresBusy / Runtime.getRuntime().availableProcessors()));
        }
    }

    /** VmRSS is Linux-only; the JDK has no portable RSS figure, so elsewhere the metric is simply absent. */
    void collectResidentMemory(MetricBuffer out) {
        long rss = SmallFiles.keyedValue(SmallFiles.read(selfStatus), "VmRSS");
        if (rss != SmallFiles.ABSENT && rss != SmallFiles.HUGE) {
            out.add(MetricScope.PROCESS, "process.rss_bytes", rss);
        }
    }

    /** Loads are 0..1; clock granularity and a shrinking CPU quota can push the computed ratio slightly above 1. */
    static double clampLoad(double load) {
        return load > 1.0 ? 1.0 : load;
    }
}
