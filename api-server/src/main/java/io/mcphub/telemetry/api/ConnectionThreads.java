package io.mcphub.telemetry.api;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK server's executor. The server hands it a connection as soon as the first bytes of a request
 * arrive, and the task then reads the request line and headers with blocking reads: a client that
 * sends half a request holds its thread. So these threads only read requests and write answers (the
 * database work runs on {@link QueryWorkers}), each read is limited to {@code readTimeout}, and the
 * executor never refuses a connection: the JDK would close it unanswered, and with the request unread
 * the client sees a TCP reset instead of a 503. Threads are made on demand up to {@code threads} and
 * end when idle; connections beyond wait their turn (they are already accepted, so their number is
 * bounded by the open connections).
 */
final class ConnectionThreads implements Executor, AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final IoDeadlines deadlines;
    private final Duration readTimeout;
    private final ThreadLocal<IoDeadlines.Guard> reading = new ThreadLocal<>();

    ConnectionThreads(int threads, Duration readTimeout, IoDeadlines deadlines) {
        this.deadlines = deadlines;
        this.readTimeout = readTimeout;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "mcp-telemetry-api-conn-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable exchange) {
        pool.execute(() -> {
            IoDeadlines.Guard guard = deadlines.arm(readTimeout);
            reading.set(guard);
            try {
                exchange.run();
            } finally {
                reading.remove();
                guard.close();
            }
        });
    }

    /** Called by the handler: the JDK has read the request line and headers, their time limit ends. */
    void requestRead() {
        IoDeadlines.Guard guard = reading.get();
        if (guard != null) {
            guard.close();
        }
    }

    /** Limits one write of an answer (and the JDK's draining of an unread request body) like a read. */
    IoDeadlines.Guard writing() {
        return deadlines.arm(readTimeout);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
