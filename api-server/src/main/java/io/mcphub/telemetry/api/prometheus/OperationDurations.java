package io.mcphub.telemetry.api.prometheus;

import io.mcphub.telemetry.api.live.FeedItem;
import io.mcphub.telemetry.api.live.FeedSubscriber;
import io.mcphub.telemetry.api.live.StreamCursor;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The convention's {@code mcp.client.operation.duration} and {@code mcp.server.operation.duration} of one
 * tenant's tool calls, fed by the live feed like {@link ExecutionCounters} and capped the same way: past
 * {@link #MAX_SERIES}, calls go to one series per side whose server and tool are {@value ExecutionCounters#OVERFLOW}
 * and whose error.type is kept only as failed or not ({@code _OTHER}), so totals and error rates stay true.
 */
final class OperationDurations implements FeedSubscriber {
    static final int MAX_SERIES = ExecutionCounters.MAX_SERIES;

    /** {@code errorType} null: the call succeeded (the convention sets error.type "if and only if the operation fails"). */
    record Key(ExecutionSide side, String server, String tool, String errorType) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::side).thenComparing(Key::server)
                .thenComparing(Key::tool).thenComparing(Key::errorType, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    final Map<Key, BucketCounts> series = new ConcurrentSkipListMap<>(Key.ORDER);
    final LongAdder droppedSeries = new LongAdder();

    @Override
    public boolean offer(FeedItem item, StreamCursor after) {
        if (item.kind() != FeedItem.Kind.EXECUTION) {
            return true;
        }
        Map<String, Object> d = item.data();
        ExecutionSide side = ExecutionSide.SERVED.sqlName().equals(d.get("side")) ? ExecutionSide.SERVED : ExecutionSide.DOWNSTREAM;
        Outcome outcome = outcome(d.get("outcome"));
        String errorType = outcome == null ? ErrorType.OTHER
                : ErrorType.of(outcome, (String) d.get("error_class"), (String) d.get("error_message"));
        Key key = new Key(side, String.valueOf(d.get("server_name")), String.valueOf(d.get("tool_name")), errorType);
        BucketCounts s = series.get(key);
        if (s == null) {
            if (series.size() >= MAX_SERIES) {
                droppedSeries.increment();
                key = new Key(side, ExecutionCounters.OVERFLOW, ExecutionCounters.OVERFLOW, errorType == null ? null : ErrorType.OTHER);
            }
            s = series.computeIfAbsent(key, k -> new BucketCounts(McpSemconv.BUCKETS));
        }
        s.observe(((Number) d.get("duration_ms")).doubleValue() / 1000.0);
        return true;
    }

    private static Outcome outcome(Object sqlName) {
        for (Outcome o : Outcome.values()) {
            if (Objects.equals(o.sqlName(), sqlName)) {
                return o;
            }
        }
        return null;
    }
}
