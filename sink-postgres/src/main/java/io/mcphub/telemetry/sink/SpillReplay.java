package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.sink.spill.SpillFile;
import io.mcphub.telemetry.sink.spill.SpilledBatch;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores what the spill file holds, oldest segment first, through the same lanes as live batches, and
 * deletes a segment once every batch in it was stored. While it has a backlog, the sink thread appends
 * new batches behind it rather than writing them, so the order of registry reports is kept. During an
 * outage its batch waits in a lane's retry loop, like any other.
 */
final class SpillReplay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpillReplay.class);
    private static final long IDLE_WAIT_MILLIS = 200;

    private final SpillFile spill;
    private final SinkHandler handler;
    private final SinkStats stats;
    private final BooleanSupplier connected;
    private final Thread thread;
    private final Object wake = new Object();
    private volatile boolean stopped;

    SpillReplay(SpillFile spill, SinkHandler handler, SinkStats stats, BooleanSupplier connected) {
        this.spill = spill;
        this.handler = handler;
        this.stats = stats;
        this.connected = connected;
        this.thread = new Thread(this::run, "mcp-telemetry-replay");
        thread.setDaemon(true);
    }

    SpillReplay start() {
        thread.start();
        return this;
    }

    /** The database is connected: look at the spill now rather than at the next poll. */
    void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void run() {
        while (!stopped) {
            try {
                if (!connected.getAsBoolean() || !spill.hasBacklog()) {
                    synchronized (wake) {
                        wake.wait(IDLE_WAIT_MILLIS);
                    }
                    continue;
                }
                SpillFile.Segment segment = spill.next();
                if (segment != null) {
                    replay(segment);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                LOG.warn("telemetry spill replay failed ({}); trying again", e.toString());
                try {
                    Thread.sleep(1_000); // a backoff before the same segment is tried again
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void replay(SpillFile.Segment segment) throws IOException, InterruptedException {
        AtomicBoolean allStored = new AtomicBoolean(true);
        long read = 0;
        boolean complete;
        try (SpillFile.Reader reader = segment.open()) {
            for (SpilledBatch batch; !stopped && (batch = reader.next()) != null; ) {
                read += batch.records().size();
                handler.replay(batch, stored -> {
                    if (!stored) {
                        allStored.set(false);
                    }
                });
            }
            complete = reader.complete();
        }
        if (stopped || !handler.awaitLanes() || !allStored.get()) {
            return; // the segment stays for the next process
        }
        if (!complete) {
            // a damaged frame ended the segment: what it held beyond that cannot be read back
            stats.lost.add(Math.max(0, segment.records() - read));
        }
        spill.delete(segment);
        LOG.debug("telemetry spill segment {} stored ({} records)", segment.path(), read);
    }

    /** Stops replaying: a segment under way stays in the spill file, for the next process. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
