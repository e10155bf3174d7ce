package io.mcphub.telemetry;

import io.mcphub.telemetry.text.SecretScrubber;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.schema.MigrationException;
import io.mcphub.telemetry.sink.PostgresTelemetrySink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the sink to the located database: once (failing with a message naming the setting), or in
 * the background, retrying with backoff (2 s doubling to 60 s) while records wait in the ring. Runs
 * what waits for the connection (the agent's API server) once it is there.
 */
final class DatabaseConnector {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConnector.class);
    private static final long FIRST_RETRY_MILLIS = 2_000;
    private static final long MAX_RETRY_MILLIS = 60_000;

    private final PostgresTelemetrySink sink;
    private final DatabaseLocator locator;
    private final List<Consumer<DatabaseTarget>> whenConnected = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    private volatile boolean attempting;
    private volatile boolean connected;
    private Thread thread;

    DatabaseConnector(PostgresTelemetrySink sink, DatabaseLocator locator) {
        this.sink = sink;
        this.locator = locator;
    }

    void whenConnected(Consumer<DatabaseTarget> action) {
        whenConnected.add(action);
    }

    synchronized void connectNow() {
        DatabaseTarget target = locator.locate();
        sink.connect(target);
        connected = true;
        for (Consumer<DatabaseTarget> action : whenConnected) {
            try {
                action.accept(target);
            } catch (RuntimeException e) {
                LOG.warn("a telemetry component failed to start once connected: {}", SecretScrubber.describe(e));
            }
        }
    }

    synchronized void connectInBackground(String tenant, String instanceId) {
        attempting = true;
        thread = new Thread(() -> retry(tenant, instanceId), "mcp-telemetry-connect");
        thread.setDaemon(true);
        thread.start();
    }

    private void retry(String tenant, String instanceId) {
        long delayMillis = FIRST_RETRY_MILLIS;
        boolean reported = false;
        while (!stopped) {
            try {
                synchronized (this) {
                    if (stopped) {
                        return;
                    }
                    attempting = true;
                    try {
                        connectNow();
                    } finally {
                        attempting = false;
                    }
                }
                LOG.info("MCP hub telemetry connected for tenant {} (instance {})", tenant, instanceId);
                return;
            } catch (RuntimeException e) {
                if (stopped) {
                    return; // closed meanwhile: the failure is the close's doing, not the database's
                }
                boolean schema = e instanceof MigrationException;
                if (!reported) {
                    if (schema) {
                        LOG.error("MCP hub telemetry cannot prepare its database schema (records wait in the ring and the spill file; "
                                + "retrying every {} s at most): {}", MAX_RETRY_MILLIS / 1000, SecretScrubber.scrub(e.getMessage()));
                    } else if (locator.startsItsOwn()) {
                        LOG.error("MCP hub telemetry cannot start its embedded database, will keep trying every {} s at most "
                                + "(records wait in the ring meanwhile): {}", MAX_RETRY_MILLIS / 1000, SecretScrubber.scrub(e.getMessage()));
                    } else {
                        LOG.error("MCP hub telemetry cannot reach its database, will keep trying every {} s at most "
                                + "(records wait in the ring and the spill file meanwhile): {}", MAX_RETRY_MILLIS / 1000, SecretScrubber.scrub(e.getMessage()));
                    }
                    reported = true;
                } else {
                    LOG.debug("telemetry database still not ready: {}", SecretScrubber.scrub(e.getMessage()));
                }
            }
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                return;
            }
            delayMillis = Math.min(delayMillis * 2, MAX_RETRY_MILLIS);
        }
    }

    /**
     * For a database the locator runs itself (the embedded one): a close while it is being started or
     * migrated waits for that attempt, at most {@code timeout}, so that what the run recorded is stored
     * (a short program ends before the first start, with initdb, is over). Waiting on a configured
     * server would hold up the hub's exit for a database that may never answer, so it is never done.
     * True when connected.
     */
    boolean awaitOwnDatabase(java.time.Duration timeout) {
        if (!locator.startsItsOwn()) {
            return connected;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!connected && attempting && !stopped && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return connected;
    }

    /**
     * No more attempts. An attempt under way is not waited for: against a database that accepts
     * connections but never answers it lasts until the login timeout, and the hub's exit must not.
     */
    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    void releaseDatabase() {
        locator.close();
    }
}
