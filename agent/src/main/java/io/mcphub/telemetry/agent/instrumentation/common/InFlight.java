package io.mcphub.telemetry.agent.instrumentation.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls in flight (a request sent, its response not yet seen), by key. Bounded: when full, the
 * oldest eighth is given up at once (their responses, if they ever come, are not recorded) so that new
 * calls keep being recorded — a client can send requests the SDK never answers, and they would
 * otherwise fill the map for good. Every call given up is counted (an agent metric); the first is
 * logged, then at most one line a minute says how many more.
 *
 * @param <V> the call; {@code startNanos} tells its age
 */
public final class InFlight<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(InFlight.class);

    private final String what;
    private final String metric;
    private final int max;
    private final ToLongFunction<V> startNanos;
    private final Map<K, V> calls = new ConcurrentHashMap<>();
    private final LongAdder evicted = new LongAdder();
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;
    private boolean firstLogged;
    private long lastLogNanos;
    private long loggedCount;

    /** @param metric the agent metric that counts calls given up */
    public InFlight(String what, String metric, int max, ToLongFunction<V> startNanos) {
        this.what = what;
        this.metric = metric;
        this.max = max;
        this.startNanos = startNanos;
    }

    /** Tracks {@code call} until it is finished; a full map first gives up its oldest calls. */
    public void start(K key, V call) {
        if (calls.size() >= max) {
            makeRoom(System.nanoTime());
        }
        calls.put(key, call);
    }

    /** The call, removed: whoever removes it records it, so each call is recorded once. */
    public V finish(K key) {
        return key == null ? null : calls.remove(key);
    }

    /** Removes and returns every call {@code which} selects. */
    public List<V> finishAll(Predicate<V> which) {
        List<V> out = new ArrayList<>();
        for (Map.Entry<K, V> e : calls.entrySet()) {
            if (which.test(e.getValue()) && calls.remove(e.getKey(), e.getValue())) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** Removes the calls {@code expired} selects and hands each to {@code onExpired}. */
    public void expire(Predicate<V> expired, Consumer<V> onExpired) {
        for (V call : finishAll(expired)) {
            onExpired.accept(call);
        }
    }

    public int size() {
        return calls.size();
    }

    public boolean isEmpty() {
        return calls.isEmpty();
    }

    /** Calls given up because too many were in flight. */
    public long evicted() {
        return evicted.sum();
    }

    /** The agent metric reporting {@link #evicted()}. */
    public String metric() {
        return metric;
    }

    /**
     * Gives up the oldest eighth of the calls in one pass: giving up one at a time would cost a scan of
     * every call on each new call (on the hub's thread) for as long as the map stays full.
     */
    private synchronized void makeRoom(long nowNanos) {
        if (calls.size() < max) {
            return; // another thread made room
        }
        long[] ages = new long[calls.size() + 16];
        int n = 0;
        for (V v : calls.values()) {
            if (n == ages.length) {
                break;
            }
            ages[n++] = nowNanos - startNanos.applyAsLong(v);
        }
        Arrays.sort(ages, 0, n);
        long threshold = ages[Math.max(0, n - Math.max(1, max / 8))];
        int given = 0;
        for (Map.Entry<K, V> e : calls.entrySet()) {
            if (nowNanos - startNanos.applyAsLong(e.getValue()) >= threshold && calls.remove(e.getKey(), e.getValue())) {
                given++;
            }
        }
        evicted.add(given);
        long total = evicted.sum();
        if (!firstLogged) {
            firstLogged = true;
            lastLogNanos = nowNanos;
            loggedCount = total;
            LOG.warn("more than {} {} in flight: the oldest are given up (their outcome is not recorded) and counted "
                    + "({}); new calls are still recorded", max, what, metric);
        } else if (nowNanos - lastLogNanos >= LOG_EVERY_NANOS) {
            LOG.warn("{} more {} given up in the last {} s ({} in all, {})", total - loggedCount, what,
                    (nowNanos - lastLogNanos) / 1_000_000_000L, total, metric);
            lastLogNanos = nowNanos;
            loggedCount = total;
        }
    }
}
