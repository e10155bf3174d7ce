package io.mcphub.telemetry.api.prometheus;

import io.mcphub.telemetry.model.SqlNamed;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.api.live.FeedItem;
import io.mcphub.telemetry.api.live.FeedSubscriber;
import io.mcphub.telemetry.api.live.StreamCursor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Prometheus counters and a latency histogram of one tenant's tool calls, fed by the live feed from
 * the moment the tenant was first scraped (counters of a process start at zero; Prometheus' rate()
 * expects exactly that, and a restart is an ordinary counter reset). Series are capped so a flood of
 * distinct tool names cannot exhaust memory (nor a scrape, ~23 lines per series): past the cap, calls
 * are counted in one series labelled {@value #OVERFLOW} (server and tool), so totals stay true, and
 * how many went there is counted too.
 */
final class ExecutionCounters implements FeedSubscriber {
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    static final List<String> OUTCOMES = SqlNamed.names(Outcome.class);
    static final int MAX_SERIES = 5_000;
    static final String OVERFLOW = "_overflow";

    record Key(String server, String tool, String side) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = server.compareTo(o.server);
            if (c == 0) {
                c = tool.compareTo(o.tool);
            }
            return c != 0 ? c : side.compareTo(o.side);
        }
    }

    static final class Series {
        final long[] outcomes = new long[OUTCOMES.size()];
        final long[] buckets = new long[BUCKETS.length];
        long count;
        double sumSeconds;
    }

    final Map<Key, Series> series = new ConcurrentSkipListMap<>();
    final LongAdder droppedSeries = new LongAdder();
    volatile long lastScrapeNanos = System.nanoTime();
    final long startedMillis = System.currentTimeMillis();

    @Override
    public boolean offer(FeedItem item, StreamCursor after) {
        if (item.kind() != FeedItem.Kind.EXECUTION) {
            return true;
        }
        Map<String, Object> d = item.data();
        Key key = new Key(String.valueOf(d.get("server_name")), String.valueOf(d.get("tool_name")), String.valueOf(d.get("side")));
        Series s = series.get(key);
        if (s == null) {
            if (series.size() >= MAX_SERIES) {
                droppedSeries.increment();
                key = new Key(OVERFLOW, OVERFLOW, key.side());
            }
            s = series.computeIfAbsent(key, k -> new Series());
        }
        double seconds = ((Number) d.get("duration_ms")).doubleValue() / 1000.0;
        int outcome = OUTCOMES.indexOf(String.valueOf(d.get("outcome")));
        synchronized (s) {
            if (outcome >= 0) {
                s.outcomes[outcome]++;
            }
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    s.buckets[i]++;
                }
            }
            s.count++;
            s.sumSeconds += seconds;
        }
        return true;
    }
}
