package io.mcphub.telemetry.sink;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.sink.spill.SpillFile;
import io.mcphub.telemetry.sink.spill.SpilledBatch;
import io.mcphub.telemetry.text.SecretScrubber;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ring's only consumer: gathers records into batches and hands them to the write lanes, flushing
 * when a batch is full or its oldest record has waited a flush interval. While the database is
 * unreachable the lanes keep retrying their batches with backoff; with a spill file, the batches that
 * find no free lane go to it (and every later one, behind them, until the replayer has stored them), so
 * the ring keeps draining. Without one, the consumer waits for a lane, the ring absorbs new records until
 * it is full, and producers' records are then dropped and counted. Batches of append-only rows may be
 * written side by side (their order does not matter: ids, rollup increments and batch ids are
 * independent of it); a batch with registry rows (upserts, where the last report wins) waits until every
 * earlier batch is written.
 */
final class SinkHandler implements EventHandler<RingEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(SinkHandler.class);
    /** How long the sink thread waits for a lane before it looks again at whether to spill. */
    private static final long LANE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long NOT_CONNECTED_POLL_MILLIS = 200;

    /**
     * A batch handed to a lane and not yet stored: at exit, whoever takes it from the set spills it.
     * Identity equality: hashing its records would cost more than writing them.
     */
    private static final class Pending {
        final UUID batchId;
        final String tenant;
        final List<TelemetryRecord> records;

        Pending(UUID batchId, String tenant, List<TelemetryRecord> records) {
            this.batchId = batchId;
            this.tenant = tenant;
            this.records = records;
        }
    }

    private final WriteLanes lanes;
    private final SinkStats stats;
    private final WriteProgress progress;
    private final SpillFile spill;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final long maxBackoffMillis;
    private final List<TelemetryRecord> buffer;
    private final Set<Pending> inFlight = ConcurrentHashMap.newKeySet();
    private long oldestNanos;
    private Sequence released;
    private long lastSequence = -1;
    private volatile TelemetryRing ring;
    private volatile long giveUpAtNanos = Long.MAX_VALUE;
    private volatile boolean closing;
    private volatile boolean spillAll;
    private volatile boolean booksClosed;
    private final Object retryGate = new Object();
    private volatile boolean outageLogged;

    /**
     * Where each execution (and each server report, which says how its executions reached it) also goes,
     * e.g. OTLP export; it must not block: it runs on the sink's thread.
     */
    private volatile Consumer<TelemetryRecord> executions;

    void exportExecutionsTo(Consumer<TelemetryRecord> exporter) {
        this.executions = exporter;
    }

    private static void exportExecution(Consumer<TelemetryRecord> exporter, TelemetryRecord e) {
        try {
            exporter.accept(e);
        } catch (RuntimeException ex) {
            LOG.debug("execution export failed", ex); // the export counts its own losses; storing goes on
        }
    }

    SinkHandler(WriteLanes lanes, SinkStats stats, WriteProgress progress, SinkSettings settings, SpillFile spill) {
        this.lanes = lanes;
        this.stats = stats;
        this.progress = progress;
        this.spill = spill;
        this.batchSize = settings.batchSize();
        this.flushIntervalNanos = settings.flushInterval().toNanos();
        this.maxBackoffMillis = Math.max(1, settings.maxBackoff().toMillis());
        this.buffer = new ArrayList<>(batchSize);
    }

    /** The ring this consumes: how full it is decides whether a batch waits for a lane or is spilled. */
    void attach(TelemetryRing consumed) {
        this.ring = consumed;
    }

    /**
     * The Disruptor frees the slots of a batch of events only when its last one was handled; a batch
     * can span many of ours, and waiting on a lane meanwhile would leave the ring looking full to the
     * hub while its records are already out of it. So slots are freed at each flush: their records have
     * been taken by then.
     */
    @Override
    public void setSequenceCallback(Sequence sequenceCallback) {
        this.released = sequenceCallback;
    }

    @Override
    public void onEvent(RingEvent event, long sequence, boolean endOfBatch) {
        lastSequence = sequence;
        TelemetryRecord record = event.takeRecord();
        CountDownLatch flushed = event.flushed;
        event.clear();
        if (record != null) {
            if (buffer.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            buffer.add(record);
            Consumer<TelemetryRecord> exporter = executions;
            if (exporter != null && (record instanceof ToolExecutionRecord || record instanceof ServerRecord)) {
                exportExecution(exporter, record);
            }
        }
        if (flushed != null) {
            flush();
            if (!spillAll) { // spilled batches are where they are kept; stuck lanes are not waited for
                awaitWritten();
            }
            flushed.countDown();
        } else if (buffer.size() >= batchSize || (endOfBatch && due())) {
            flush();
        }
    }

    @Override
    public void onTimeout(long sequence) {
        if (due()) {
            flush();
        }
    }

    /** From now on, a batch that cannot be written by the deadline is spilled or counted as lost instead of retried. */
    void closeBy(long deadlineNanos) {
        giveUpAtNanos = deadlineNanos;
        closing = true;
        wakeRetries();
    }

    /** At exit with a database that cannot take the queue: every batch from now on goes to the spill file. */
    boolean spillAll() {
        if (spill == null) {
            return false;
        }
        spill.deferSync();
        spillAll = true;
        return true;
    }

    /** The database is connected: batches waiting for it try again now rather than after their backoff. */
    void connected() {
        wakeRetries();
    }

    private void wakeRetries() {
        synchronized (retryGate) {
            retryGate.notifyAll();
        }
    }

    /**
     * The sink's close has counted every record not written as lost: a batch given up after this (its
     * connection aborted once the books were closed) is not counted again.
     */
    void closeBooks() {
        booksClosed = true;
    }

    /**
     * At exit: the batches lanes still hold (blocked on a database that does not answer) go to the spill
     * file. Should one still commit before the JVM ends, its replay is skipped by its batch id.
     */
    void spillInFlight() {
        for (Pending p : List.copyOf(inFlight)) {
            if (inFlight.remove(p)) {
                spillOrLose(p.batchId, p.tenant, p.records);
            }
        }
    }

    private boolean due() {
        return !buffer.isEmpty() && System.nanoTime() - oldestNanos >= flushIntervalNanos;
    }

    private void flush() {
        if (released != null && lastSequence >= 0) {
            released.set(lastSequence);
        }
        if (buffer.isEmpty()) {
            return;
        }
        Map<String, List<TelemetryRecord>> byTenant = new LinkedHashMap<>();
        for (TelemetryRecord r : buffer) {
            byTenant.computeIfAbsent(r.tenantId(), t -> new ArrayList<>()).add(r);
        }
        buffer.clear();
        try {
            for (Map.Entry<String, List<TelemetryRecord>> group : byTenant.entrySet()) {
                dispatch(UUID.randomUUID(), group.getKey(), group.getValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** To a lane, or to the spill file when batches wait there, or the database cannot keep up. */
    private void dispatch(UUID batchId, String tenant, List<TelemetryRecord> records) throws InterruptedException {
        if (spill != null && (spillAll || spill.hasBacklog())) {
            spillOrLose(batchId, tenant, records);
            return;
        }
        if (records.stream().anyMatch(Tables::upserted)) {
            while (!lanes.awaitIdle(LANE_SLICE_NANOS)) {
                if (spillNow()) {
                    spillOrLose(batchId, tenant, records);
                    return;
                }
            }
        }
        Pending pending = new Pending(batchId, tenant, records);
        inFlight.add(pending);
        progress.started();
        Consumer<BatchWriter> work = writer -> {
            try {
                writeWithRetry(writer, pending, false);
            } finally {
                progress.finished();
            }
        };
        try {
            while (!lanes.trySubmit(work, LANE_SLICE_NANOS)) {
                if (spillNow()) {
                    progress.finished();
                    if (inFlight.remove(pending)) {
                        spillOrLose(batchId, tenant, records);
                    }
                    return;
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            progress.finished();
            inFlight.remove(pending);
            throw e;
        }
    }

    /** No lane is free: spill rather than wait when the database is failing or the ring is running full. */
    private boolean spillNow() {
        if (spill == null) {
            return false;
        }
        if (spillAll || progress.failing()) {
            return true;
        }
        TelemetryRing r = ring;
        return r != null && r.remainingCapacity() < r.size() / 4;
    }

    private void spillOrLose(UUID batchId, String tenant, List<TelemetryRecord> records) {
        if (spill != null && spill.append(batchId, tenant, records)) {
            stats.spilled.add(records.size());
            return;
        }
        if (spill != null) {
            stats.spillDropped.add(records.size());
        }
        if (!booksClosed) {
            stats.lost.add(records.size());
        }
    }

    /**
     * Stores a batch read back from the spill file (on the replayer's thread): waits for a lane (and, for
     * registry rows, for every earlier batch); {@code done} hears whether it was stored.
     */
    void replay(SpilledBatch batch, Consumer<Boolean> done) throws InterruptedException {
        if (batch.records().stream().anyMatch(Tables::upserted)) {
            lanes.awaitIdle();
        }
        Pending pending = new Pending(batch.batchId(), batch.tenant(), batch.records());
        progress.started();
        try {
            lanes.submit(writer -> {
                boolean stored = false;
                try {
                    stored = writeWithRetry(writer, pending, true);
                    if (stored) {
                        stats.replayed.add(batch.records().size());
                    }
                } finally {
                    progress.finished();
                    done.accept(stored);
                }
            });
        } catch (InterruptedException | RuntimeException e) {
            progress.finished();
            throw e;
        }
    }

    /** Blocks until the lanes have finished every batch handed to them; false if interrupted. */
    boolean awaitLanes() {
        try {
            lanes.awaitIdle();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Until the lanes are idle, or the exit has switched to spilling (lanes stuck on the database are not waited for). */
    private void awaitWritten() {
        try {
            while (!spillAll && !lanes.awaitIdle(LANE_SLICE_NANOS)) {
                // look again at spillAll
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes with backoff until stored (true) or given up at exit (false). A batch given up is spilled,
     * or counted as lost; a replayed one is neither: it is still in the spill file.
     */
    private boolean writeWithRetry(BatchWriter writer, Pending batch, boolean replayed) {
        long backoff = 50;
        while (true) {
            try {
                writer.write(batch.batchId, batch.tenant, batch.records);
                progress.committed();
                if (!replayed) {
                    inFlight.remove(batch);
                }
                if (outageLogged) {
                    outageLogged = false;
                    LOG.info("telemetry database reachable again; backlog is being written");
                }
                return true;
            } catch (Exception e) {
                boolean notConnectedYet = e instanceof DeferredDataSource.NotConnectedYet;
                if (notConnectedYet) {
                    // not an outage: the batch waits for the connection, which wakes it (see connected())
                    backoff = NOT_CONNECTED_POLL_MILLIS;
                } else {
                    progress.failed();
                    stats.retries.increment();
                    stats.lastError.set(SecretScrubber.scrub(e.getMessage()));
                }
                if (!outageLogged && !notConnectedYet) {
                    outageLogged = true;
                    LOG.warn("telemetry database unavailable ({}); retrying, records are kept in {} meanwhile",
                            SecretScrubber.scrub(e.getMessage()),
                            spill == null ? "the ring until it is full" : "the ring and the spill file " + spill.directory());
                }
                if (closing && System.nanoTime() + backoff * 1_000_000L > giveUpAtNanos) {
                    // the sink's close says how many were kept or lost in all, and why
                    giveUp(batch, replayed);
                    LOG.debug("shutdown: a batch of {} telemetry records given up ({})", batch.records.size(), e.getMessage());
                    return false;
                }
                try {
                    synchronized (retryGate) {
                        retryGate.wait(backoff);
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    giveUp(batch, replayed);
                    return false;
                }
                backoff = Math.min(backoff * 2, maxBackoffMillis);
            }
        }
    }

    private void giveUp(Pending batch, boolean replayed) {
        if (!replayed && inFlight.remove(batch)) {
            spillOrLose(batch.batchId, batch.tenant, batch.records);
        }
    }
}
