package io.mcphub.telemetry.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A short-lived cache of rendered answers keyed by tenant, path and query: a wall of dashboards
 * refreshing every second costs one database round per TTL. Bounded; cleared when full.
 */
final class QueryCache {
    private static final int MAX_ENTRIES = 1_000;

    private record Entry(String body, long expiresNanos) {
    }

    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    QueryCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    String get(String key, Supplier<String> compute) {
        if (ttlNanos <= 0) {
            return compute.get();
        }
        long now = System.nanoTime();
        Entry e = entries.get(key);
        if (e != null && e.expiresNanos - now > 0) {
            return e.body;
        }
        String body = compute.get();
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(body, now + ttlNanos));
        return body;
    }
}
