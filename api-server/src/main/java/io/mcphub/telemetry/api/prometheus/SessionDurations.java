package io.mcphub.telemetry.api.prometheus;

import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.live.FeedItem;
import io.mcphub.telemetry.api.live.FeedSubscriber;
import io.mcphub.telemetry.api.live.StreamCursor;
import io.mcphub.telemetry.model.Transport;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The convention's {@code mcp.server.session.duration}: sessions clients held on the hub's own MCP server,
 * one observation per {@code session.closed} event (which carries the session's lifetime, transport and
 * protocol version). No error.type: a close says why (client DELETE, idle sweep, shutdown), none of which
 * is the session failing. Series are few (transport x protocol version) but still capped, as a client
 * chooses the protocol version it sends.
 */
final class SessionDurations implements FeedSubscriber {
    static final String CLOSED = "session.closed";
    static final int MAX_SERIES = 100;
    // the payload is a flat jsonb object of our own writing (ClientSessions): three fields are read from its text
    private static final Pattern DURATION = Pattern.compile("\"durationMs\":\\s*(\\d+)");
    private static final Pattern TRANSPORT = Pattern.compile("\"transport\":\\s*\"([^\"\\\\]*)\"");
    private static final Pattern PROTOCOL = Pattern.compile("\"protocolVersion\":\\s*\"([^\"\\\\]*)\"");

    /** {@code protocolVersion} empty when the client's initialize did not say. */
    record Key(Transport transport, String protocolVersion) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::transport).thenComparing(Key::protocolVersion);
    }

    final Map<Key, BucketCounts> series = new ConcurrentSkipListMap<>(Key.ORDER);

    @Override
    public boolean offer(FeedItem item, StreamCursor after) {
        if (item.kind() != FeedItem.Kind.EVENT || !CLOSED.equals(item.data().get("event_type"))) {
            return true;
        }
        Object raw = item.data().get("payload");
        String payload = raw instanceof Json.Raw r ? r.json() : String.valueOf(raw);
        Matcher duration = DURATION.matcher(payload);
        if (!duration.find()) {
            return true;
        }
        Key key = new Key(McpSemconv.transport(first(TRANSPORT, payload)), first(PROTOCOL, payload));
        BucketCounts s = series.get(key);
        if (s == null) {
            if (series.size() >= MAX_SERIES) {
                key = new Key(key.transport(), ExecutionCounters.OVERFLOW);
            }
            s = series.computeIfAbsent(key, k -> new BucketCounts(McpSemconv.BUCKETS));
        }
        s.observe(Long.parseLong(duration.group(1)) / 1000.0);
        return true;
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : "";
    }
}
