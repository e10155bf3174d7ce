package io.mcphub.telemetry.model;

import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One tool's figures added up over rollup rows or digest entries: calls, errors, total/min/max
 * duration, last call, the latency histogram and the failures by error class and outcome. What
 * compaction merges and what the API reports.
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
    private LatencyHistogram latency;
    /**
     * While digests are added: the histogram's counts by key (keys are small: 1 s is key 345), so that
     * adding an entry is an index per bucket rather than a sorted merge; made a {@link LatencyHistogram}
     * when first read.
     */
    private long[] dense;
    /** The failures by kind, in the order first added (a tool has few kinds: a list beats a map here). */
    private List<Failure> failures;

    /**
     * One kind of failure of the tool: its errors, and the latest one's time and message. The class is
     * the error's class, or the outcome's name when it had none (as the error rollups keep it).
     */
    public static final class Failure {
        private final String errorClass;
        private final String outcome;
        private long errors;
        private long lastSeenMicros = Long.MIN_VALUE;
        private String lastMessage;

        Failure(String errorClass, String outcome) {
            this.errorClass = errorClass;
            this.outcome = outcome;
        }

        /** Adds failures; the message is asked for only when these are the latest. */
        void add(long more, long seenMicros, Supplier<String> message) {
            errors += more;
            if (seenMicros > lastSeenMicros) {
                lastSeenMicros = seenMicros;
                lastMessage = message.get();
            }
        }

        public String errorClass() {
            return errorClass;
        }

        public String outcome() {
            return outcome;
        }

        public long errors() {
            return errors;
        }

        public long lastSeenMicros() {
            return lastSeenMicros;
        }

        public String lastMessage() {
            return lastMessage;
        }
    }

    public ToolTotals(String server, String tool) {
        this.server = server;
        this.tool = tool;
    }

    /** The key of a tool in a map of them: its server and name, which no name can make ambiguous. */
    public static String key(String server, String tool) {
        return server + '\u0000' + tool;
    }

    /** Adds the current entry of {@code r}: figures, histogram and failures. */
    public void add(ToolDigest.Reader r) {
        add(r, true);
    }

    /** Adds the current entry of {@code r}, its histogram only when {@code withLatency} (a reader of counts skips it). */
    public void add(ToolDigest.Reader r, boolean withLatency) {
        add(r.calls(), r.errors(), r.totalDurationUs(), r.minDurationUs(), r.maxDurationUs(), r.lastCalledAtMicros());
        if (withLatency) {
            if (latency != null) {
                r.addLatencyTo(latency);
            } else {
                dense = r.addLatencyTo(dense);
            }
        }
        for (int i = 0, n = r.failures(); i < n; i++) {
            int failure = i;
            failure(r.errorClass(i), r.outcome(i), r.failureErrors(i), r.failureLastSeenMicros(i),
                    () -> r.failureLastMessage(failure));
        }
    }

    /** Adds failures of one kind (error class, outcome); the message is asked for only when these are the latest. */
    public void failure(String errorClass, String outcome, long errors, long lastSeenMicros,
                        Supplier<String> lastMessage) {
        if (failures == null) {
            failures = new ArrayList<>(4);
        }
        for (Failure f : failures) {
            if (f.errorClass.equals(errorClass) && f.outcome.equals(outcome)) {
                f.add(errors, lastSeenMicros, lastMessage);
                return;
            }
        }
        Failure f = new Failure(errorClass, outcome);
        f.add(errors, lastSeenMicros, lastMessage);
        failures.add(f);
    }

    /** The failures by kind, in the order first added. */
    public Collection<Failure> failures() {
        return failures == null ? List.of() : failures;
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
        short[] k = latency().keys();
        long[] c = latency().counts();
        Collection<Failure> kinds = failures();
        w.add(server, tool, calls, errors, totalDurationUs, minDurationUs, maxDurationUs, lastCalledAtMicros,
                k, c, k.length, kinds.size());
        for (Failure f : kinds) {
            w.failure(f.errorClass, f.outcome, f.errors, f.lastSeenMicros, f.lastMessage);
        }
        return w;
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

    /** The latency histogram added so far (add to it directly, or through {@link #add(ToolDigest.Reader)}). */
    public LatencyHistogram latency() {
        if (latency == null) {
            latency = dense == null ? new LatencyHistogram() : LatencyHistogram.ofDense(dense);
            dense = null;
        }
        return latency;
    }
}
