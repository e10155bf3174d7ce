package io.mcphub.telemetry.api;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who answers an exchange: the connection thread (an answer, an error, a missed deadline) or a live
 * stream that took it over. Whoever takes it first; the other leaves the exchange alone.
 */
public final class ExchangeClaim {
    private final AtomicBoolean taken = new AtomicBoolean();

    public boolean take() {
        return taken.compareAndSet(false, true);
    }
}
