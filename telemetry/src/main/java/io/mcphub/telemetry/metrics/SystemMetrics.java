package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

/**
 * Host-level CPU, load average, memory and swap.
 *
 * <p>Memory prefers /proc/meminfo: since JDK 14 the OperatingSystemMXBean reports the container's limit as
 * "total memory", which would duplicate container.memory.limit_bytes and hide the host picture. The bean is
 * the fallback where /proc does not exist.
 */
final class SystemMetrics {

    private static final int PROC_STAT_FIRST_LINE_BYTES = 512;

    private final Path meminfo;
    private final Path loadavg;
    private final Path stat;
    /** Starts from zero so the first sample is the average since boot rather than absent. */
    private final CpuLoadDelta cpuLoad = new CpuLoadDelta();

    SystemMetrics(Path procRoot) {
        this.meminfo = procRoot.resolve("meminfo");
        this.loadavg = procRoot.resolve("loadavg");
        this.stat = procRoot.resolve("stat");
        cpuLoad.primeIfEmpty(0, 0);
    }

    void collectCpu(MetricBuffer out) {
        // availableProcessors() honours container CPU limits and affinity, which is what capacity planning wants.
        out.add(MetricScope.SYSTEM, "system.cpu.count", Runtime.getRuntime().availableProcessors());
        // Only the aggregate first line is needed; on many-core hosts the whole file is tens of KiB.
        String procStat = SmallFiles.read(stat, PROC_STAT_FIRST_LINE_BYTES);
        if (procStat != null) {
            addCpuLoadFromProcStat(out, procStat);
            return;
        }
        // Not Linux: the bean is cheap there (no cgroup files to re-read), see CpuLoadDelta.
        com.sun.management.OperatingSystemMXBean sunOs = sunOperatingSystemBean();
        if (sunOs != null) {
            out.add(MetricScope.SYSTEM, "system.cpu.load", ProcessMetrics.clampLoad(sunOs.getCpuLoad()));
        }
    }

    /** First line: "cpu  user nice system idle iowait irq softirq steal guest guest_nice" in clock ticks. */
    private void addCpuLoadFromProcStat(MetricBuffer out, String procStat) {
        int lineEnd = procStat.indexOf('\n');
        String[] fields = (lineEnd < 0 ? procStat : procStat.substring(0, lineEnd)).trim().split("\\s+");
        if (fields.length < 5 || !fields[0].equals("cpu")) {
            return;
        }
        long total = 0;
        long idle = 0;
        // guest/guest_nice are already included in user/nice, so only the first eight columns are summed.
        for (int i = 1; i < Math.min(fields.length, 9); i++) {
            long ticks = SmallFiles.parseNonNegative(fields[i]);
            if (ticks < 0 || ticks == SmallFiles.HUGE) {
                return;
            }
            total += ticks;
            if (i == 4 || i == 5) { // idle, iowait
                idle += ticks;
            }
        }
        out.add(MetricScope.SYSTEM, "system.cpu.load", ProcessMetrics.clampLoad(cpuLoad.update(total - idle, total)));
    }

    void collectLoadAverage(MetricBuffer out) {
        String content = SmallFiles.read(loadavg);
        if (content != null) {
            // "0.52 0.58 0.59 1/467 12345": the kernel prints fixed-point decimals, never NaN/Infinity.
            String[] fields = content.trim().split("\\s+");
            if (fields.length >= 3) {
                addLoad(out, "system.load_average.1m", fields[0]);
                addLoad(out, "system.load_average.5m", fields[1]);
                addLoad(out, "system.load_average.15m", fields[2]);
                return;
            }
        }
        out.add(MetricScope.SYSTEM, "system.load_average.1m",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()); // negative on Windows: dropped
    }

    private static void addLoad(MetricBuffer out, String name, String field) {
        try {
            out.add(MetricScope.SYSTEM, name, Double.parseDouble(field));
        } catch (NumberFormatException garbage) {
            // leave the metric absent
        }
    }

    void collectMemory(MetricBuffer out) {
        String content = SmallFiles.read(meminfo);
        addMemory(out, "system.memory.total_bytes", content, "MemTotal",
                com.sun.management.OperatingSystemMXBean::getTotalMemorySize);
        addMemory(out, "system.memory.free_bytes", content, "MemFree",
                com.sun.management.OperatingSystemMXBean::getFreeMemorySize);
        addMemory(out, "system.memory.available_bytes", content, "MemAvailable", null); // Linux-only concept
        addMemory(out, "system.swap.total_bytes", content, "SwapTotal",
                com.sun.management.OperatingSystemMXBean::getTotalSwapSpaceSize);
        addMemory(out, "system.swap.free_bytes", content, "SwapFree",
                com.sun.management.OperatingSystemMXBean::getFreeSwapSpaceSize);
    }

    /** The bean is only asked when /proc lacks the value: in a container each call re-reads cgroup files. */
    private static void addMemory(MetricBuffer out, String name, String meminfoContent, String key,
            ToLongFunction<com.sun.management.OperatingSystemMXBean> fallback) {
        long value = SmallFiles.keyedValue(meminfoContent, key);
        if (value == SmallFiles.ABSENT || value == SmallFiles.HUGE) {
            com.sun.management.OperatingSystemMXBean sunOs = fallback == null ? null : sunOperatingSystemBean();
            value = sunOs == null ? -1 : fallback.applyAsLong(sunOs);
        }
        out.add(MetricScope.SYSTEM, name, value);
    }

    private static com.sun.management.OperatingSystemMXBean sunOperatingSystemBean() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sunOs ? sunOs : null;
    }
}
