package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Transport object → its {@link ServerConnection}, held weakly by identity (the agent cannot add a
 * field to SDK classes). How the servers are named is {@link ServerNaming}'s.
 */
final class Connections {

    private final ConcurrentHashMap<Key, ServerConnection> byTransport = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final long defaultTimeoutNanos;

    Connections(long defaultTimeoutNanos) {
        this.defaultTimeoutNanos = defaultTimeoutNanos;
    }

    ServerConnection of(Object transport) {
        ServerConnection c = byTransport.get(new Lookup(transport));
        if (c != null) {
            return c;
        }
        expunge();
        ServerConnection fresh = new ServerConnection(TransportEndpoint.of(transport), defaultTimeoutNanos);
        c = byTransport.putIfAbsent(new Key(transport, collected), fresh);
        return c != null ? c : fresh;
    }

    /** The connection of a transport already seen, else null. */
    ServerConnection known(Object transport) {
        return transport == null ? null : byTransport.get(new Lookup(transport));
    }

    private void expunge() {
        for (Object ref; (ref = collected.poll()) != null; ) {
            byTransport.remove(ref);
        }
    }

    /** Compares referents by identity; equal to a {@link Lookup} of the same object. */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            Object mine = get();
            if (other instanceof Key k) {
                return mine != null && mine == k.get();
            }
            return other instanceof Lookup l && mine != null && mine == l.referent;
        }
    }

    private record Lookup(Object referent) {
        @Override
        public int hashCode() {
            return System.identityHashCode(referent);
        }

        @Override
        public boolean equals(Object other) {
            if (other instanceof Key k) {
                return k.get() == referent;
            }
            return other instanceof Lookup l && l.referent == referent;
        }
    }
}
