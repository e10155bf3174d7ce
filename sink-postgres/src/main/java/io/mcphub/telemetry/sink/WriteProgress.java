package io.mcphub.telemetry.sink;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the database is taking the sink's batches right now: batches under way, when one last
 * finished, and whether the last attempt failed. At exit this decides whether waiting for the queue
 * can store anything: a database that refuses connections, is not connected yet, or holds a batch
 * without answering would only add the whole shutdown timeout to the hub's exit.
 */
final class WriteProgress {

    private final AtomicInteger pending = new AtomicInteger();
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean failing;

    /** A batch was handed to a lane. */
    void started() {
        if (pending.getAndIncrement() == 0) {
            // idle until now: the stall clock starts with this batch, not at the last commit
            lastProgressNanos = System.nanoTime();
        }
    }

    /**
     * The database was just connected: batches that waited for it start their clock now (they waited on
     * the connection, not on a database that does not answer).
     */
    void connected() {
        failing = false;
        lastProgressNanos = System.nanoTime();
    }

    /** A batch was committed (or found already committed). */
    void committed() {
        failing = false;
        lastProgressNanos = System.nanoTime();
    }

    /** An attempt failed for a reason worth retrying (unreachable, not connected yet, overloaded). */
    void failed() {
        failing = true;
    }

    /** The lane is done with its batch, written or given up. */
    void finished() {
        pending.decrementAndGet();
    }

    boolean failing() {
        return failing;
    }

    /** How long batches have been under way without one finishing; 0 when none is under way. */
    long stalledNanos() {
        return pending.get() > 0 ? Math.max(0, System.nanoTime() - lastProgressNanos) : 0;
    }
}
