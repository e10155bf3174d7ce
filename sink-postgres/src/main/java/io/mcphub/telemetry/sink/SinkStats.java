package io.mcphub.telemetry.sink;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the pipeline. Every accepted record ends as written, rejected (the database refused
 * its content) or lost (still unwritten when shutdown gave up); dropped records never entered the ring.
 */
public final class SinkStats {

    /** A consistent-enough copy for reports and tests. */
    public record Snapshot(long accepted, long dropped, long written, long rejected, long lost, long batches,
                           long retries, String lastError) {
    }

    final LongAdder accepted = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder written = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder retries = new LongAdder();
    final AtomicReference<String> lastError = new AtomicReference<>();

    public Snapshot snapshot() {
        return new Snapshot(accepted.sum(), dropped.sum(), written.sum(), rejected.sum(), lost.sum(), batches.sum(),
                retries.sum(), lastError.get());
    }
}
