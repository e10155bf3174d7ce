package io.mcphub.telemetry.sink;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when records are dropped: the first drop within a second, then the rate at most every
 * {@link #RATE_EVERY_NANOS} while drops go on, and once when they stop. It runs on a thread of its own,
 * never on the hub's: a full ring is when the hub publishes most, and a drop must stay a counter
 * increment there. The sink thread cannot do it either, as it is the one waiting on the database.
 */
final class DropLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DropLog.class);
    static final long RATE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LongSupplier dropped;
    private final int ringSize;
    private final Supplier<String> databaseState;
    private ScheduledExecutorService thread;
    private long reported;
    private long windowStartNanos;
    private long windowStartCount;
    private boolean dropping;

    DropLog(LongSupplier dropped, int ringSize, Supplier<String> databaseState) {
        this.dropped = dropped;
        this.ringSize = ringSize;
        this.databaseState = databaseState;
    }

    DropLog start() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-telemetry-drops");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> {
            try {
                tick(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.debug("drop report failed: {}", e.toString());
            }
        }, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /** One look at the counter; returns the line it logged, or null. */
    synchronized String tick(long nowNanos) {
        long total = dropped.getAsLong();
        String line = null;
        if (!dropping && total > reported) {
            dropping = true;
            windowStartNanos = nowNanos;
            windowStartCount = reported;
            line = String.format(Locale.ROOT, "telemetry ring full (%,d records): dropping records (%,d so far, counted as "
                    + "telemetry.ring.dropped); database: %s", ringSize, total, databaseState.get());
            reported = total;
        } else if (dropping && nowNanos - windowStartNanos >= RATE_EVERY_NANOS) {
            long inWindow = total - windowStartCount;
            double seconds = (nowNanos - windowStartNanos) / 1e9;
            if (total > reported) {
                line = String.format(Locale.ROOT, "telemetry dropped %,d records in the last %.0f s (%,.0f/s), %,d in all; database: %s",
                        inWindow, seconds, inWindow / seconds, total, databaseState.get());
            } else {
                dropping = false;
                line = String.format(Locale.ROOT, "telemetry drops stopped: %,d records dropped in all", total);
            }
            reported = total;
            windowStartNanos = nowNanos;
            windowStartCount = total;
        }
        if (line != null) {
            LOG.warn(line);
        }
        return line;
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
