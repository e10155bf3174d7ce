package io.mcphub.telemetry.api;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Time limits for the blocking socket reads and writes of the JDK's HTTP server, which has none of its
 * own that would not change every other {@code HttpServer} in the hub's JVM (its timeouts are
 * JVM-wide system properties). Its sockets are blocking {@code SocketChannel}s, and interrupting a
 * thread blocked on such a channel closes the channel: so a guard armed around the I/O interrupts its
 * thread when the time is up, the read or write fails, and the connection is gone.
 */
public final class IoDeadlines implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timer;

    public IoDeadlines() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mcp-telemetry-api-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Limits the calling thread's channel I/O to {@code timeout}, until the guard is closed (by the same thread). */
    public Guard arm(Duration timeout) {
        Guard guard = new Guard(Thread.currentThread());
        guard.task = timer.schedule(guard::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return guard;
    }

    /** One armed deadline of one thread. */
    public static final class Guard implements AutoCloseable {
        private final Thread thread;
        private ScheduledFuture<?> task;
        private boolean armed = true;
        private boolean fired;
        private boolean closed;

        private Guard(Thread thread) {
            this.thread = thread;
        }

        private synchronized void fire() {
            if (armed) {
                armed = false;
                fired = true;
                thread.interrupt();
            }
        }

        /** Whether the time ran out (the thread was interrupted, its channel I/O failed). */
        public synchronized boolean expired() {
            return fired;
        }

        /**
         * Disarms; an interrupt this guard delivered is taken back, so the thread (a pooled one) does
         * not carry it into its next piece of work.
         */
        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                armed = false;
                if (fired) {
                    Thread.interrupted();
                }
            }
            task.cancel(false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
