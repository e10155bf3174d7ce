package io.mcphub.telemetry.metrics;

/**
 * Turns two monotonically increasing counters (busy time, elapsed capacity) into a load over the interval
 * since the previous call.
 *
 * <p>We compute CPU load ourselves instead of calling OperatingSystemMXBean.getCpuLoad() /
 * getProcessCpuLoad(): inside a container those re-read several cgroup files on every call (~100 KB of
 * garbage and ~0.2 ms each on JDK 17), and their "since last call" state is shared with any other caller in
 * the application, so a second reader would silently skew our numbers.
 */
final class CpuLoadDelta {

    private double lastBusy = Double.NaN;
    private double lastTotal = Double.NaN;

    /** Sets the reference point used by the first {@link #update}; ignored once a reference exists. */
    synchronized void primeIfEmpty(double busy, double total) {
        if (Double.isNaN(lastTotal)) {
            lastBusy = busy;
            lastTotal = total;
        }
    }

    /** busy/total ratio since the previous call, or -1 when there is no usable previous point. */
    synchronized double update(double busy, double total) {
        double deltaBusy = busy - lastBusy;
        double deltaTotal = total - lastTotal;
        lastBusy = busy;
        lastTotal = total;
        // NaN on the first call; counter resets (negative deltas) and zero intervals yield "unavailable".
        return deltaTotal > 0 && deltaBusy >= 0 ? deltaBusy / deltaTotal : -1;
    }
}
