package io.mcphub.telemetry.agent.mcpserver;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * tools/call requests a client sent to the hub, waiting for the JSON-RPC response the hub sends back on
 * the same transport with the same id. Bounded: when full, entries older than {@link #STALE_NANOS} (a
 * response that never went out, e.g. the client vanished) are dropped, and if it is still full new calls
 * are not tracked.
 */
final class ServedCalls {

    record Pending(String server, String tool, String sessionId, String requestId, Instant startedAt,
                   long startNanos, Object arguments) {
    }

    /** Identity of the transport (one per response stream or session) plus the JSON-RPC id. */
    private static final class Key {
        private final Object transport;
        private final String id;

        Key(Object transport, String id) {
            this.transport = transport;
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.transport == transport && k.id.equals(id);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(transport) * 31 + id.hashCode();
        }
    }

    static final int MAX_PENDING = 4096;
    static final long STALE_NANOS = TimeUnit.MINUTES.toNanos(15);
    private static final Map<Key, Pending> PENDING = new ConcurrentHashMap<>();

    private ServedCalls() {
    }

    static boolean start(Object transport, Pending call) {
        if (PENDING.size() >= MAX_PENDING) {
            long now = System.nanoTime();
            PENDING.values().removeIf(p -> now - p.startNanos() > STALE_NANOS);
            if (PENDING.size() >= MAX_PENDING) {
                return false;
            }
        }
        PENDING.put(new Key(transport, call.requestId()), call);
        return true;
    }

    static Pending finish(Object transport, String requestId) {
        if (PENDING.isEmpty()) {
            return null;
        }
        return PENDING.remove(new Key(transport, requestId));
    }

    static int size() {
        return PENDING.size();
    }
}
