package io.mcphub.telemetry.agent.instrumentation.oauth;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Grant types of token-request bodies between {@code BodyPublishers.ofString(form)} and the request's send: the
 * publisher is opaque afterwards, so the grant type (and only it) is remembered, keyed weakly by the publisher
 * object (JDK publishers use identity equality). Bounded: a hub creating forms it never sends cannot grow it.
 */
final class PendingTokenBodies {

    private static final int MAX = 256;
    private static final Map<Object, String> GRANTS = new WeakHashMap<>(); // guarded by GRANTS
    /** Lets every non-token request skip the lock while nothing is pending (the usual state). */
    private static volatile int size;

    private PendingTokenBodies() {
    }

    static void put(Object publisher, String grantType) {
        synchronized (GRANTS) {
            if (GRANTS.size() >= MAX) {
                GRANTS.clear();
            }
            GRANTS.put(publisher, grantType);
            size = GRANTS.size();
        }
    }

    /** The grant type of a publisher made from a token form, forgetting it; null for any other publisher. */
    static String take(Object publisher) {
        if (size == 0) {
            return null;
        }
        synchronized (GRANTS) {
            String grant = GRANTS.remove(publisher);
            size = GRANTS.size();
            return grant;
        }
    }
}
