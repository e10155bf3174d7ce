package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;

/**
 * Heap, threads, GC, class loading, uptime and NIO buffer pools of the host JVM.
 *
 * <p>Beans are looked up per call rather than in a constructor: ManagementFactory initialisation has side
 * effects (JMX, logging manager) that must not happen while the agent is merely being constructed in premain.
 */
final class JvmMetrics {

    private final MetricNames gcCollections = MetricNames.of(c -> "jvm.gc." + c + ".collections");
    private final MetricNames gcTime = MetricNames.of(c -> "jvm.gc." + c + ".time_ms");
    private final MetricNames bufferUsed = MetricNames.of(p -> "jvm.buffer." + p + ".used_bytes");
    private final MetricNames bufferCapacity = MetricNames.of(p -> "jvm.buffer." + p + ".capacity_bytes");
    private final MetricNames bufferCount = MetricNames.of(p -> "jvm.buffer." + p + ".count");

    void collectMemory(MetricBuffer out) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        out.add(MetricScope.JVM, "jvm.heap.used_bytes", heap.getUsed());
        out.add(MetricScope.JVM, "jvm.heap.committed_bytes", heap.getCommitted());
        out.add(MetricScope.JVM, "jvm.heap.max_bytes", heap.getMax()); // -1 when undefined: dropped by the buffer
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        out.add(MetricScope.JVM, "jvm.nonheap.used_bytes", nonHeap.getUsed());
        out.add(MetricScope.JVM, "jvm.nonheap.committed_bytes", nonHeap.getCommitted());
    }

    void collectThreads(MetricBuffer out) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        out.add(MetricScope.JVM, "jvm.threads.live", threads.getThreadCount());
        out.add(MetricScope.JVM, "jvm.threads.daemon", threads.getDaemonThreadCount());
        out.add(MetricScope.JVM, "jvm.threads.peak", threads.getPeakThreadCount());
    }

    void collectGarbageCollection(MetricBuffer out) {
        long totalCollections = 0;
        long totalTimeMs = 0;
        boolean anyCount = false;
        boolean anyTime = false;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            long count = gc.getCollectionCount();
            long timeMs = gc.getCollectionTime();
            String name = gc.getName();
            out.add(MetricScope.JVM, gcCollections.forLabel(name), count);
            out.add(MetricScope.JVM, gcTime.forLabel(name), timeMs);
            // -1 means "not supported by this collector"; it must not subtract from the total.
            if (count >= 0) {
                totalCollections += count;
                anyCount = true;
            }
            if (timeMs >= 0) {
                totalTimeMs += timeMs;
                anyTime = true;
            }
        }
        if (anyCount) {
            out.add(MetricScope.JVM, "jvm.gc.collections", totalCollections);
        }
        if (anyTime) {
            out.add(MetricScope.JVM, "jvm.gc.time_ms", totalTimeMs);
        }
    }

    void collectClassesAndUptime(MetricBuffer out) {
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        out.add(MetricScope.JVM, "jvm.classes.loaded", classes.getLoadedClassCount());
        out.add(MetricScope.JVM, "jvm.classes.unloaded", classes.getUnloadedClassCount());
        out.add(MetricScope.JVM, "jvm.uptime_ms", ManagementFactory.getRuntimeMXBean().getUptime());
    }

    void collectBufferPools(MetricBuffer out) {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            String name = pool.getName();
            out.add(MetricScope.JVM, bufferUsed.forLabel(name), pool.getMemoryUsed());
            out.add(MetricScope.JVM, bufferCapacity.forLabel(name), pool.getTotalCapacity());
            out.add(MetricScope.JVM, bufferCount.forLabel(name), pool.getCount());
        }
    }
}
