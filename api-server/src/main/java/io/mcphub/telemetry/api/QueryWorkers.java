package io.mcphub.telemetry.api;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The few threads that do the requests' database work, with a bounded queue in front: a request that
 * finds both full is answered {@code 503 overloaded} at once rather than waiting without end, and a
 * request whose work has not finished by the deadline is answered {@code 503 query_timeout} by the
 * thread waiting for it, even when a hung database keeps the worker itself blocked (its socket timeout
 * frees it a little later).
 */
final class QueryWorkers implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final Duration deadline;
    private final int threads;
    private final int queue;
    final LongAdder overloaded = new LongAdder();
    final LongAdder late = new LongAdder();

    QueryWorkers(int threads, int queue, Duration deadline) {
        this.threads = threads;
        this.queue = queue;
        this.deadline = deadline;
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, waiting, r -> {
            Thread t = new Thread(r, "mcp-telemetry-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** The result of {@code work}, its exception, or a 503 when the workers are full or the deadline passes. */
    <T> T call(Callable<T> work) {
        Future<T> future;
        try {
            future = pool.submit(work);
        } catch (RejectedExecutionException e) {
            overloaded.increment();
            throw new ApiException(503, "overloaded", "the telemetry API is busy (" + threads + " requests running, "
                    + queue + " waiting); try again shortly", null);
        }
        try {
            return future.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            late.increment();
            throw new ApiException(503, "query_timeout", "no answer from the telemetry database within "
                    + deadline.toMillis() / 1000.0 + " s (it may be stopped, locked or overloaded); try again, "
                    + "or narrow the window", null);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiException(503, "stopping", "the telemetry API is stopping", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
