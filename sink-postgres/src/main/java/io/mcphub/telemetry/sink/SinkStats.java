package io.mcphub.telemetry.sink;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters of the pipeline. Every accepted record ends as written, rejected (the database refused
 * its content), kept (in the spill file, for a later replay) or lost (neither written nor spilled when
 * shutdown gave up, or the spill file was full); dropped records never entered the ring. Records
 * replayed from the spill file count as written when stored.
 */
public final class SinkStats {

    /**
     * A consistent-enough copy for reports and tests.
     *
     * @param spilled      records appended to the spill file by this process
     * @param replayed     records read back from the spill file and stored (this process's or an earlier one's)
     * @param spillDropped records the full (or unusable) spill file could not take, also counted in lost
     * @param kept         records in the spill file now, waiting to be stored
     */
    public record Snapshot(long accepted, long dropped, long written, long rejected, long lost, long batches,
                           long retries, long spilled, long replayed, long spillDropped, long kept, String lastError) {
    }

    final LongAdder accepted = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder written = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder spilled = new LongAdder();
    final LongAdder replayed = new LongAdder();
    final LongAdder spillDropped = new LongAdder();
    /** Records of batches found already stored (a replay of a batch that had committed): neither written nor lost. */
    final LongAdder duplicates = new LongAdder();
    final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile LongSupplier kept = () -> 0;

    void keptBy(LongSupplier supplier) {
        this.kept = supplier;
    }

    public Snapshot snapshot() {
        return new Snapshot(accepted.sum(), dropped.sum(), written.sum(), rejected.sum(), lost.sum(), batches.sum(),
                retries.sum(), spilled.sum(), replayed.sum(), spillDropped.sum(), kept.getAsLong(), lastError.get());
    }
}
