package io.mcphub.telemetry.sink;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The batch writers, each on a thread of its own with its own connection, so that the database works on
 * one batch while the next is encoded and sent (measured: one writer left PostgreSQL idle while the
 * JVM encoded, and kept the sink at 0.67 x a raw COPY). A batch waits for a free lane, so at most one
 * batch per lane is in flight and memory stays bounded; when the database is unreachable every lane
 * retries, the sink thread waits for a lane and the ring absorbs what comes meanwhile.
 */
final class WriteLanes {

    private final ArrayDeque<BatchWriter> idle = new ArrayDeque<>();
    private final int lanes;
    private final ExecutorService threads;

    WriteLanes(List<BatchWriter> writers) {
        this.idle.addAll(writers);
        this.lanes = writers.size();
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(lanes, r -> {
            Thread t = new Thread(r, "mcp-telemetry-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    int lanes() {
        return lanes;
    }

    /** Runs {@code work} with a free writer on a lane's thread; blocks until a writer is free. */
    void submit(Consumer<BatchWriter> work) throws InterruptedException {
        trySubmit(work, Long.MAX_VALUE);
    }

    /**
     * Runs {@code work} with a free writer on a lane's thread; false (and nothing run) when no writer
     * came free within {@code timeoutNanos}.
     */
    boolean trySubmit(Consumer<BatchWriter> work, long timeoutNanos) throws InterruptedException {
        BatchWriter writer;
        synchronized (this) {
            long deadline = System.nanoTime() + Math.min(timeoutNanos, Long.MAX_VALUE / 2);
            while (idle.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            writer = idle.poll();
        }
        threads.execute(() -> {
            try {
                work.accept(writer);
            } finally {
                synchronized (this) {
                    idle.push(writer);
                    notifyAll();
                }
            }
        });
        return true;
    }

    /** Blocks until every submitted batch has finished. */
    void awaitIdle() throws InterruptedException {
        awaitIdle(Long.MAX_VALUE);
    }

    /** Blocks until every submitted batch has finished; false if some still run after {@code timeoutNanos}. */
    synchronized boolean awaitIdle(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(timeoutNanos, Long.MAX_VALUE / 2);
        while (idle.size() < lanes) { // a writer is out while its batch runs
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Stops the lanes' threads: interrupted, a batch still being retried is counted as lost by its
     * writer. Waits for them at most {@code wait}: a lane blocked on a database that does not answer
     * is not waited for (its connection is aborted when the pool closes, and it ends with the JVM).
     */
    void close(Duration wait) {
        threads.shutdownNow();
        try {
            threads.awaitTermination(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
