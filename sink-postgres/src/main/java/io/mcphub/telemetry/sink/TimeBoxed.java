package io.mcphub.telemetry.sink;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a closing step on a daemon thread of its own and waits for it at most a given time. Closing a
 * connection pool or an HTTP server waits on the network (Hikari keeps aborting busy connections for up
 * to 10 s, adds connections with a login timeout), and a hung database answers none of it; at exit the
 * JVM must not wait for that, and an unfinished step simply ends with the process.
 */
public final class TimeBoxed {

    private static final Logger LOG = LoggerFactory.getLogger(TimeBoxed.class);

    private TimeBoxed() {
    }

    /** True when {@code step} finished within {@code limit}; its failure is logged, never thrown. */
    public static boolean run(String what, Runnable step, Duration limit) {
        return await(start(what, step), what, limit);
    }

    /** Starts {@code step} on a daemon thread of its own, to be awaited later (beside other closing work). */
    public static Thread start(String what, Runnable step) {
        Thread t = new Thread(() -> {
            try {
                step.run();
            } catch (RuntimeException | Error e) {
                LOG.debug("{} failed while closing: {}", what, e.toString());
            }
        }, "mcp-telemetry-close");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for a step {@link #start} started, at most {@code limit}; true when it finished. */
    public static boolean await(Thread step, String what, Duration limit) {
        try {
            step.join(Math.max(1, limit.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (step.isAlive()) {
            LOG.debug("{} still closing after {} ms; not waited for", what, limit.toMillis());
            return false;
        }
        return true;
    }
}
