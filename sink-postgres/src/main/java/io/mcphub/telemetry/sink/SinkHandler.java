package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.text.SecretScrubber;
import com.lmax.disruptor.EventHandler;
import io.mcphub.telemetry.model.TelemetryRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ring's only consumer: gathers records into batches and hands them to the write lanes, flushing
 * when a batch is full or its oldest record has waited a flush interval. While the database is
 * unreachable the lanes keep retrying their batches with backoff, so the consumer waits for a lane and
 * stops consuming; the ring absorbs new records until it is full, after which producers' records are
 * dropped and counted. Batches of append-only rows may be written side by side (their order does not
 * matter: ids, rollup increments and batch ids are independent of it); a batch with registry rows
 * (upserts, where the last report wins) waits until every earlier batch is written.
 */
final class SinkHandler implements EventHandler<RingEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(SinkHandler.class);

    private final WriteLanes lanes;
    private final SinkStats stats;
    private final WriteProgress progress;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final long maxBackoffMillis;
    private final List<TelemetryRecord> buffer;
    private long oldestNanos;
    private volatile long giveUpAtNanos = Long.MAX_VALUE;
    private volatile boolean closing;
    private volatile boolean booksClosed;
    private final Object retryGate = new Object();
    private static final long NOT_CONNECTED_POLL_MILLIS = 200;
    private volatile boolean outageLogged;

    SinkHandler(WriteLanes lanes, SinkStats stats, WriteProgress progress, SinkSettings settings) {
        this.lanes = lanes;
        this.stats = stats;
        this.progress = progress;
        this.batchSize = settings.batchSize();
        this.flushIntervalNanos = settings.flushInterval().toNanos();
        this.maxBackoffMillis = Math.max(1, settings.maxBackoff().toMillis());
        this.buffer = new ArrayList<>(batchSize);
    }

    @Override
    public void onEvent(RingEvent event, long sequence, boolean endOfBatch) {
        TelemetryRecord record = event.takeRecord();
        java.util.concurrent.CountDownLatch flushed = event.flushed;
        event.clear();
        if (record != null) {
            if (buffer.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            buffer.add(record);
        }
        if (flushed != null) {
            flush();
            awaitWritten();
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

    /** From now on, a batch that cannot be written by the deadline is counted as lost instead of retried. */
    void closeBy(long deadlineNanos) {
        giveUpAtNanos = deadlineNanos;
        closing = true;
        wakeRetries();
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

    private void giveUp(List<TelemetryRecord> records) {
        if (!booksClosed) {
            stats.lost.add(records.size());
        }
    }

    private boolean due() {
        return !buffer.isEmpty() && System.nanoTime() - oldestNanos >= flushIntervalNanos;
    }

    private void flush() {
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
                List<TelemetryRecord> records = group.getValue();
                if (records.stream().anyMatch(Tables::upserted)) {
                    lanes.awaitIdle();
                }
                UUID batchId = UUID.randomUUID();
                progress.started();
                try {
                    lanes.submit(writer -> {
                        try {
                            writeWithRetry(writer, batchId, group.getKey(), records);
                        } finally {
                            progress.finished();
                        }
                    });
                } catch (InterruptedException | RuntimeException e) {
                    progress.finished();
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitWritten() {
        try {
            lanes.awaitIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeWithRetry(BatchWriter writer, UUID batchId, String tenant, List<TelemetryRecord> records) {
        long backoff = 50;
        while (true) {
            try {
                writer.write(batchId, tenant, records);
                progress.committed();
                if (outageLogged) {
                    outageLogged = false;
                    LOG.info("telemetry database reachable again; backlog is being written");
                }
                return;
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
                    LOG.warn("telemetry database unavailable ({}); retrying, records are kept in the ring until it is full",
                            SecretScrubber.scrub(e.getMessage()));
                }
                if (closing && System.nanoTime() + backoff * 1_000_000L > giveUpAtNanos) {
                    // the sink's close says how many were lost in all, and why
                    giveUp(records);
                    LOG.debug("shutdown: a batch of {} telemetry records given up ({})", records.size(), e.getMessage());
                    return;
                }
                try {
                    synchronized (retryGate) {
                        retryGate.wait(backoff);
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    giveUp(records);
                    return;
                }
                backoff = Math.min(backoff * 2, maxBackoffMillis);
            }
        }
    }
}
