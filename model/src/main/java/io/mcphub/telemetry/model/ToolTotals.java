package io.mcphub.telemetry.model;

/**
 * One tool's figures added up over rollup rows or digest entries: calls, errors, total/min/max
 * duration, last call and the latency histogram. What compaction merges and what the API reports.
 */
public final class ToolTotals {
    private final String server;
    private final String tool;
    private long calls;
    private long errors;
    private long totalDurationUs;
    private long minDurationUs = Long.MAX_VALUE;
    private long maxDurationUs = Long.MIN_VALUE;
    private long lastCalledAtMicros = Long.MIN_VALUE;
    private final LatencyHistogram latency = new LatencyHistogram();

    public ToolTotals(String server, String tool) {
        this.server = server;
        this.tool = tool;
    }

    /** The key of a tool in a map of them: its server and name, which no name can make ambiguous. */
    public static String key(String server, String tool) {
        return server + '\u0000' + tool;
    }

    /** Adds the current entry of {@code r}, figures and histogram. */
    public void add(ToolDigest.Reader r) {
        add(r.calls(), r.errors(), r.totalDurationUs(), r.minDurationUs(), r.maxDurationUs(), r.lastCalledAtMicros());
        r.addLatencyTo(latency);
    }

    /** Adds figures; the histogram is added to {@link #latency()} by the caller. */
    public void add(long calls, long errors, long totalDurationUs, long minDurationUs, long maxDurationUs,
                    long lastCalledAtMicros) {
        this.calls += calls;
        this.errors += errors;
        this.totalDurationUs += totalDurationUs;
        this.minDurationUs = Math.min(this.minDurationUs, minDurationUs);
        this.maxDurationUs = Math.max(this.maxDurationUs, maxDurationUs);
        this.lastCalledAtMicros = Math.max(this.lastCalledAtMicros, lastCalledAtMicros);
    }

    ToolDigest.Writer writeTo(ToolDigest.Writer w) {
        short[] k = latency.keys();
        long[] c = latency.counts();
        return w.add(server, tool, calls, errors, totalDurationUs, minDurationUs, maxDurationUs, lastCalledAtMicros,
                k, c, k.length);
    }

    public String server() {
        return server;
    }

    public String tool() {
        return tool;
    }

    public long calls() {
        return calls;
    }

    public long errors() {
        return errors;
    }

    public long totalDurationUs() {
        return totalDurationUs;
    }

    public long minDurationUs() {
        return minDurationUs;
    }

    /** The largest duration added; {@link Long#MIN_VALUE} while nothing was. */
    public long maxDurationUs() {
        return maxDurationUs;
    }

    /** The latest call added, µs since 1970; {@link Long#MIN_VALUE} while nothing was. */
    public long lastCalledAtMicros() {
        return lastCalledAtMicros;
    }

    public LatencyHistogram latency() {
        return latency;
    }
}
