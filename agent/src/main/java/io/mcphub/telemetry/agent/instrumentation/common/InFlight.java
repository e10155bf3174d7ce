package io.mcphub.telemetry.agent.instrumentation.common;

import java.util.ArrayList;
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
 * oldest call is given up (its response, if it ever comes, is not recorded) so that new calls keep
 * being recorded; every call given up is counted and the first one logged.
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

    /** @param metric the agent metric that counts calls given up */
    public InFlight(String what, String metric, int max, ToLongFunction<V> startNanos) {
        this.what = what;
        this.metric = metric;
        this.max = max;
        this.startNanos = startNanos;
    }

    /** Tracks {@code call} until it is finished; a full map first gives up its oldest call. */
    public void start(K key, V call) {
        if (calls.size() >= max) {
            evictOldest();
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

    private void evictOldest() {
        K oldestKey = null;
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<K, V> e : calls.entrySet()) {
            long start = startNanos.applyAsLong(e.getValue());
            if (oldestKey == null || start - oldest < 0) {
                oldest = start;
                oldestKey = e.getKey();
            }
        }
        if (oldestKey != null && calls.remove(oldestKey) != null) {
            evicted.increment();
            if (evicted.sum() == 1) {
                LOG.warn("more than {} {} in flight: the oldest are given up (their outcome is not recorded) "
                        + "and counted ({})", max, what, metric);
            }
        }
    }
}
