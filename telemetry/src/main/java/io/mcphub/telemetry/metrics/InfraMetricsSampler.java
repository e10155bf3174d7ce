package io.mcphub.telemetry.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Consumer;

/**
 * Samples JVM, process, host and container metrics for the telemetry agent.
 *
 * <p>This runs inside someone else's production JVM, so {@link #sample()} never throws: each source runs in
 * its own guard, and a source that is unavailable on this platform or fails contributes nothing while the
 * others still report. The only I/O is reading a handful of small /proc and /sys/fs/cgroup pseudo-files.
 *
 * <p>Safe to call from several threads, though one scheduler thread is the intended caller.
 */
public final class InfraMetricsSampler {

    private static final String[] CONTAINER_RUNTIME_MARKERS = {"docker", "kubepods", "containerd", "libpod"};

    private final Path procRoot;
    private final CgroupMetrics cgroup;
    /** Built once so a sample does not allocate a closure per source. */
    private final List<Consumer<MetricBuffer>> sources;
    /** Size of the previous sample, so the next buffer is allocated once at the right size. */
    private volatile int lastSampleSize = 64;
    private volatile Boolean inContainer;

    public InfraMetricsSampler() {
        this(Paths.get("/proc"), Paths.get("/sys/fs/cgroup"));
    }

    /**
     * Fixture constructor. Container marker files are looked up next to {@code procRoot}, so a test tree
     * {@code root/proc} + {@code root/.dockerenv} mirrors the real {@code /proc} + {@code /.dockerenv}.
     */
    InfraMetricsSampler(Path procRoot, Path cgroupRoot) {
        this.procRoot = procRoot;
        this.cgroup = new CgroupMetrics(procRoot, cgroupRoot);
        JvmMetrics jvm = new JvmMetrics();
        ProcessMetrics process = new ProcessMetrics(procRoot);
        SystemMetrics system = new SystemMetrics(procRoot);
        // Fine-grained so that, say, a broken buffer-pool bean does not also cost us the heap numbers.
        this.sources = List.of(
                jvm::collectMemory,
                jvm::collectThreads,
                jvm::collectGarbageCollection,
                jvm::collectClassesAndUptime,
                jvm::collectBufferPools,
                process::collectCpuAndFds,
                process::collectResidentMemory,
                system::collectCpu,
                system::collectLoadAverage,
                system::collectMemory,
                cgroup::collect);
    }

    /** All currently available metrics; values are finite and non-negative. Never throws. */
    public List<MetricSample> sample() {
        MetricBuffer buffer = new MetricBuffer(lastSampleSize + 8);
        for (Consumer<MetricBuffer> source : sources) {
            try {
                source.accept(buffer);
            } catch (Throwable unavailable) {
                // Deliberately broad (incl. LinkageError from missing com.sun.management and Errors from JMX):
                // an exception escaping into the agent's scheduler would stop all telemetry, and the metric
                // being absent is itself the signal that this source is unavailable here.
            }
        }
        lastSampleSize = buffer.size();
        return buffer.toList();
    }

    /**
     * Whether we appear to run in a container: a cgroup memory/CPU limit is set, a runtime marker file exists,
     * or PID 1's cgroup names a container runtime. Computed once; a process does not change container.
     */
    public boolean inContainer() {
        Boolean cached = inContainer;
        if (cached == null) {
            cached = detectContainer();
            inContainer = cached;
        }
        return cached;
    }

    private boolean detectContainer() {
        try {
            if (cgroup.hasLimit()) {
                return true;
            }
            Path fsRoot = procRoot.toAbsolutePath().getParent();
            if (fsRoot != null && (Files.exists(fsRoot.resolve(".dockerenv"))
                    || Files.exists(fsRoot.resolve("run").resolve(".containerenv")))) {
                return true;
            }
            String initCgroup = SmallFiles.read(procRoot.resolve("1").resolve("cgroup"));
            if (initCgroup != null) {
                for (String marker : CONTAINER_RUNTIME_MARKERS) {
                    if (initCgroup.contains(marker)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (Throwable unreadable) {
            return false;
        }
    }
}
