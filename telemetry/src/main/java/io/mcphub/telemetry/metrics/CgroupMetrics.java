package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;
import java.nio.file.Path;

/**
 * Container limits and usage from cgroup v2 or v1 files.
 *
 * <p>"No limit" is reported by omitting the limit metric, never by a sentinel number: v2 writes "max", v1
 * writes a page-aligned value just under 2^63 (or -1 for CPU quota), and a dashboard would otherwise show
 * a limit of 8 EiB.
 */
final class CgroupMetrics {

    /** v1 reports "unlimited" as LONG_MAX rounded down to the page size; anything this large is not a real limit. */
    static final long UNLIMITED_THRESHOLD = 1L << 62;

    private static final double MICROS_PER_MILLI = 1_000.0;
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final Path procRoot;
    private final Path cgroupRoot;

    CgroupMetrics(Path procRoot, Path cgroupRoot) {
        this.procRoot = procRoot;
        this.cgroupRoot = cgroupRoot;
    }

    void collect(MetricBuffer out) {
        CgroupLayout layout = CgroupLayout.detect(procRoot, cgroupRoot);
        switch (layout.version) {
            case V2 -> collectV2(layout, out);
            case V1 -> collectV1(layout, out);
            default -> { /* not Linux, or no cgroup mounted: nothing to report */ }
        }
    }

    /** True when a memory or CPU limit is configured, the strongest signal that we run inside a container. */
    boolean hasLimit() {
        CgroupLayout layout = CgroupLayout.detect(procRoot, cgroupRoot);
        return memoryLimitBytes(layout) >= 0 || cpuLimitCores(layout) >= 0;
    }

    private static void collectV2(CgroupLayout layout, MetricBuffer out) {
        Path dir = layout.unified;
        out.add(MetricScope.CONTAINER, "container.memory.limit_bytes", memoryLimitBytes(layout));
        addCount(out, "container.memory.usage_bytes", SmallFiles.readLong(dir.resolve("memory.current")));
        out.add(MetricScope.CONTAINER, "container.cpu.limit_cores", cpuLimitCores(layout));

        String cpuStat = SmallFiles.read(dir.resolve("cpu.stat"));
        addScaled(out, "container.cpu.usage_ms", SmallFiles.keyedValue(cpuStat, "usage_usec"), MICROS_PER_MILLI);
        addCount(out, "container.cpu.throttled_periods", SmallFiles.keyedValue(cpuStat, "nr_throttled"));
        addScaled(out, "container.cpu.throttled_ms", SmallFiles.keyedValue(cpuStat, "throttled_usec"),
                MICROS_PER_MILLI);

        addCount(out, "container.pids.current", SmallFiles.readLong(dir.resolve("pids.current")));
        addCount(out, "container.memory.oom_kills",
                SmallFiles.keyedValue(SmallFiles.read(dir.resolve("memory.events")), "oom_kill"));
    }

    private static void collectV1(CgroupLayout layout, MetricBuffer out) {
        out.add(MetricScope.CONTAINER, "container.memory.limit_bytes", memoryLimitBytes(layout));
        out.add(MetricScope.CONTAINER, "container.cpu.limit_cores", cpuLimitCores(layout));
        if (layout.memory != null) {
            addCount(out, "container.memory.usage_bytes",
                    SmallFiles.readLong(layout.memory.resolve("memory.usage_in_bytes")));
            // "oom_kill" appears in memory.oom_control since Linux 4.13; older kernels simply lack the line.
            addCount(out, "container.memory.oom_kills",
                    SmallFiles.keyedValue(SmallFiles.read(layout.memory.resolve("memory.oom_control")), "oom_kill"));
        }
        if (layout.cpuacct != null) {
            addScaled(out, "container.cpu.usage_ms",
                    SmallFiles.readLong(layout.cpuacct.resolve("cpuacct.usage")), NANOS_PER_MILLI);
        }
        if (layout.cpu != null) {
            String cpuStat = SmallFiles.read(layout.cpu.resolve("cpu.stat"));
            addCount(out, "container.cpu.throttled_periods", SmallFiles.keyedValue(cpuStat, "nr_throttled"));
            addScaled(out, "container.cpu.throttled_ms", SmallFiles.keyedValue(cpuStat, "throttled_time"),
                    NANOS_PER_MILLI);
        }
        if (layout.pids != null) {
            addCount(out, "container.pids.current", SmallFiles.readLong(layout.pids.resolve("pids.current")));
        }
    }

    /** Bytes, or -1 when there is no limit or it cannot be read. */
    static long memoryLimitBytes(CgroupLayout layout) {
        long limit = switch (layout.version) {
            case V2 -> SmallFiles.readLong(layout.unified.resolve("memory.max")); // "max" parses as ABSENT
            case V1 -> layout.memory == null ? SmallFiles.ABSENT
                    : SmallFiles.readLong(layout.memory.resolve("memory.limit_in_bytes"));
            default -> SmallFiles.ABSENT;
        };
        return limit >= 0 && limit < UNLIMITED_THRESHOLD ? limit : -1;
    }

    /** Cores (quota / period), or -1 when there is no quota or it cannot be read. */
    static double cpuLimitCores(CgroupLayout layout) {
        long quota;
        long period;
        if (layout.version == CgroupLayout.Version.V2) {
            // "max 100000" = unlimited, "50000 100000" = half a core
            String cpuMax = SmallFiles.read(layout.unified.resolve("cpu.max"));
            if (cpuMax == null) {
                return -1;
            }
            String[] fields = cpuMax.trim().split("\\s+");
            if (fields.length != 2) {
                return -1;
            }
            quota = SmallFiles.parseNonNegative(fields[0]);
            period = SmallFiles.parseNonNegative(fields[1]);
        } else if (layout.version == CgroupLayout.Version.V1 && layout.cpu != null) {
            quota = SmallFiles.readLong(layout.cpu.resolve("cpu.cfs_quota_us")); // "-1" = unlimited -> ABSENT
            period = SmallFiles.readLong(layout.cpu.resolve("cpu.cfs_period_us"));
        } else {
            return -1;
        }
        boolean valid = quota > 0 && quota < UNLIMITED_THRESHOLD && period > 0 && period < UNLIMITED_THRESHOLD;
        return valid ? (double) quota / period : -1;
    }

    private static void addCount(MetricBuffer out, String name, long value) {
        if (value != SmallFiles.HUGE) {
            out.add(MetricScope.CONTAINER, name, value);
        }
    }

    private static void addScaled(MetricBuffer out, String name, long value, double divisor) {
        if (value != SmallFiles.ABSENT && value != SmallFiles.HUGE) {
            out.add(MetricScope.CONTAINER, name, value / divisor);
        }
    }
}
