package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.text.SecretScrubber;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.ToolCall;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-allocated ring between producers (hub threads) and the sink thread. {@link #publish} never
 * blocks: a full ring drops the record and counts it.
 */
final class TelemetryRing {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryRing.class);
    private static final EventTranslatorOneArg<RingEvent, TelemetryRecord> STORE = (event, seq, record) -> event.record = record;
    private static final EventTranslatorOneArg<RingEvent, CountDownLatch> FLUSH = (event, seq, latch) -> event.flushed = latch;
    private static final EventTranslatorThreeArg<RingEvent, Origin, ToolCall, CapturedPayloads> EXECUTION =
            (event, seq, origin, call, payloads) -> {
                event.origin = origin;
                event.call = call;
                event.payloads = payloads;
            };

    private final Disruptor<RingEvent> disruptor;
    private final RingBuffer<RingEvent> ring;
    private final SinkHandler handler;
    private final SinkStats stats;

    TelemetryRing(int size, SinkHandler handler, SinkStats stats, Duration flushInterval) {
        this.handler = handler;
        this.stats = stats;
        long tickNanos = Math.max(1_000_000L, flushInterval.toNanos() / 2);
        long parkNanos = Math.max(100_000L, Math.min(5_000_000L, flushInterval.toNanos() / 10));
        this.disruptor = new Disruptor<>(RingEvent::new, size, runnable -> {
            Thread t = new Thread(runnable, "mcp-telemetry-sink");
            t.setDaemon(true);
            return t;
        }, ProducerType.MULTI, new ParkingWaitStrategy(parkNanos, tickNanos));
        handler.attach(this);
        disruptor.handleEventsWith(handler);
        disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
        this.ring = disruptor.start();
    }

    boolean publish(TelemetryRecord record) {
        if (ring.tryPublishEvent(STORE, record)) {
            stats.accepted.increment();
            return true;
        }
        stats.dropped.increment();
        return false;
    }

    /** A tool call handed over as it is: nothing is allocated (see {@link RingEvent}). */
    boolean publishExecution(Origin origin, ToolCall call, CapturedPayloads payloads) {
        if (ring.tryPublishEvent(EXECUTION, origin, call, payloads)) {
            stats.accepted.increment();
            return true;
        }
        stats.dropped.increment();
        return false;
    }

    /** Waits until everything published before this call is written (or given up); false on timeout. */
    boolean flush(Duration timeout) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ring.tryPublishEvent(FLUSH, latch)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    long remainingCapacity() {
        return ring.remainingCapacity();
    }

    int size() {
        return ring.getBufferSize();
    }

    /**
     * Writes what was published before this call while the database keeps taking batches: it gives up
     * at the deadline, when an attempt fails, or when batches under way make no progress for
     * {@code stallNanos} (a database that accepts but never answers). What is left then goes to the
     * spill file, if there is one, for up to {@code spillTimeout}. Then it stops the sink thread without
     * waiting for it. Records neither written nor spilled are counted as lost by the caller. A zero timeout
     * gives up on the database at once. True when the sink thread took everything.
     */
    boolean close(Duration timeout, WriteProgress progress, long stallNanos, Duration spillTimeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        handler.closeBy(deadline);
        boolean drained = false;
        try {
            if (!timeout.isZero()) {
                drained = drain(deadline, progress, stallNanos);
            }
            if (!drained && handler.spillAll()) {
                // what the database could not take goes to the spill file: local disk, a bounded wait
                drained = awaitFlush(System.nanoTime() + spillTimeout.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handler.closeBy(System.nanoTime());
        disruptor.halt();
        return drained;
    }

    /** See {@link SinkHandler#connected}. */
    void connected() {
        handler.connected();
    }

    /** See {@link SinkHandler#closeBooks}. */
    void closeBooks() {
        handler.closeBooks();
    }

    private boolean drain(long deadline, WriteProgress progress, long stallNanos) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        while (!ring.tryPublishEvent(FLUSH, latch)) {
            if (System.nanoTime() > deadline || givingUp(progress, stallNanos)) {
                return false;
            }
            Thread.sleep(1);
        }
        while (!latch.await(20, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
                LOG.debug("telemetry sink did not drain by the shutdown deadline");
                return false;
            }
            if (givingUp(progress, stallNanos)) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the sink thread has taken everything published before this call, up to the deadline. */
    private boolean awaitFlush(long deadline) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        while (!ring.tryPublishEvent(FLUSH, latch)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static boolean givingUp(WriteProgress progress, long stallNanos) {
        return progress.failing() || progress.stalledNanos() > stallNanos;
    }

    /** Keeps the sink thread alive whatever a batch throws; the batch writer already counted it. */
    private static final class LoggingExceptionHandler implements ExceptionHandler<Object> {
        @Override
        public void handleEventException(Throwable ex, long sequence, Object event) {
            LOG.error("telemetry sink failed on one event; continuing: {}", SecretScrubber.describe(ex));
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            LOG.error("telemetry sink failed to start: {}", SecretScrubber.describe(ex));
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            LOG.error("telemetry sink failed during shutdown: {}", SecretScrubber.describe(ex));
        }
    }
}
