package io.mcphub.telemetry.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the API server's held values share ({@link DigestCache}, {@link RawMinuteCache}): values under string
 * keys, bounded by an estimate of their bytes (least recently used out first, none over a quarter of the
 * budget), with counters of the reads they answered. Safe for concurrent readers: the values are immutable.
 */
public abstract class ByteBudgetCache<V> {
    private final long budgetBytes;
    private final LinkedHashMap<String, V> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    /** {@code name} names the cache in the message refusing a negative budget. */
    protected ByteBudgetCache(long budgetBytes, String name) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException(name + "'s budget must be 0 (off) or more bytes, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /** What {@code value} is counted as against the budget. */
    protected abstract long sizeOf(V value);

    /** The value last stored under {@code key}, or null. */
    public synchronized V get(String key) {
        return entries.get(key);
    }

    /** Whether a value of {@code bytes} would be kept: up to a quarter of the budget. */
    public boolean admits(long bytes) {
        return bytes <= budgetBytes / 4;
    }

    /** Stores {@code value} under {@code key}, unless it is larger than {@link #admits} allows. */
    public synchronized void put(String key, V value) {
        long size = sizeOf(value);
        if (!admits(size)) {
            return;
        }
        V old = entries.put(key, value);
        bytes += size - (old == null ? 0 : sizeOf(old));
        for (Iterator<Map.Entry<String, V>> it = entries.entrySet().iterator(); bytes > budgetBytes && it.hasNext(); ) {
            Map.Entry<String, V> eldest = it.next();
            if (eldest.getKey().equals(key)) {
                continue;
            }
            bytes -= sizeOf(eldest.getValue());
            it.remove();
        }
    }

    /** Forgets every value (the counters stay). */
    public synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    /** Counts a read answered from what was held ({@code hit}), or not. */
    public synchronized void count(boolean hit) {
        if (hit) {
            hits++;
        } else {
            misses++;
        }
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public boolean enabled() {
        return budgetBytes > 0;
    }
}
