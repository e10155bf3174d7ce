package io.mcphub.telemetry.agent.mcpclient;

import io.mcphub.telemetry.agent.AgentErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Requests sent to downstream servers whose response has not arrived yet, by JSON-RPC id (the SDK's ids
 * carry a random per-session prefix, so they are unique in the JVM). Bounded: beyond the cap a request
 * is not tracked. A daemon thread expires requests the SDK has given up on (its request timeout plus a
 * small grace), since a timed-out request leaves no trace at the message level.
 */
final class PendingRequests {

    /** One request in flight; {@code arguments} is kept only when payloads are captured. */
    record Pending(String id, ServerConnection connection, String method, Instant startedAt, long startNanos,
                   String tool, Integer argumentBytes, Object arguments, String cursor, String sessionId) {
    }

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final int max;
    private final long graceNanos;
    private final Consumer<Pending> onExpired;
    private final LongAdder untracked = new LongAdder();
    private volatile ScheduledExecutorService sweeper;

    PendingRequests(int max, long graceNanos, Consumer<Pending> onExpired) {
        this.max = max;
        this.graceNanos = graceNanos;
        this.onExpired = onExpired;
    }

    void add(Pending p) {
        if (pending.size() >= max) {
            untracked.increment();
            return;
        }
        pending.putIfAbsent(p.id(), p);
        startSweeper();
    }

    /** The request, removed: whoever removes it records it, so each request is recorded once. */
    Pending complete(String id) {
        return id == null ? null : pending.remove(id);
    }

    /** Removes and returns every request of {@code connection}. */
    List<Pending> completeAll(ServerConnection connection) {
        List<Pending> out = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (p.connection() == connection && pending.remove(p.id(), p)) {
                out.add(p);
            }
        }
        return out;
    }

    int size() {
        return pending.size();
    }

    long untracked() {
        return untracked.sum();
    }

    void sweep(long nowNanos) {
        for (Pending p : pending.values()) {
            if (nowNanos - p.startNanos() > p.connection().requestTimeoutNanos() + graceNanos
                    && pending.remove(p.id(), p)) {
                try {
                    onExpired.accept(p);
                } catch (Throwable t) {
                    AgentErrors.report("mcp-client-timeout", t);
                }
            }
        }
    }

    private void startSweeper() {
        if (sweeper != null) {
            return;
        }
        synchronized (this) {
            if (sweeper == null) {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "mcp-telemetry-client-timeouts");
                    t.setDaemon(true);
                    return t;
                });
                s.scheduleWithFixedDelay(() -> sweep(System.nanoTime()), 100, 100, TimeUnit.MILLISECONDS);
                sweeper = s;
            }
        }
    }
}
