package io.mcphub.telemetry.api.live;

import io.mcphub.telemetry.api.TelemetryDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The new rows of one tenant, polled from the database by the shared poller and fanned out to every
 * subscriber (SSE clients, the Prometheus counters) without blocking.
 *
 * <p>Ids come from sequences, but transactions commit in any order: a batch that took id 99 may commit
 * after one that took id 100. Delivering 100 and moving the cursor past it would lose 99 for good. So
 * each poll first reads how far the sequences have gone ({@code S}). A transaction holding an id up to
 * {@code S} took it before that read, and has its transaction id by a moment later (a single INSERT
 * takes the id, then its xid, within the same statement; the sink's batches have their xid before).
 * So once {@code SETTLE} has passed, a snapshot's {@code xmax} bounds the transaction ids of all such
 * holders, and when a later snapshot's {@code xmin} reaches that {@code xmax} they have all ended:
 * every id up to {@code S} is final and is delivered. Rows thus reach the stream about one poll after
 * their commit. A transaction that stays open longer than {@code stallLimit} (not the sink's; say a
 * forgotten manual session) is not waited for any longer, and this is logged.
 */
final class TenantFeed {
    private static final Logger LOG = LoggerFactory.getLogger(TenantFeed.class);
    private static final int MAX_PENDING = 1_000;

    private static final long SETTLE_NANOS = Duration.ofMillis(300).toNanos();

    /** Ids up to {@code sequences} are final once the transactions below {@code xmax} ended (0: not yet known). */
    private static final class Pending {
        final StreamCursor sequences;
        final long atNanos;
        long xmax;

        Pending(StreamCursor sequences, long atNanos) {
            this.sequences = sequences;
            this.atNanos = atNanos;
        }
    }

    final String tenant;
    private final List<FeedSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private StreamCursor head;
    private volatile long idleSinceNanos = System.nanoTime();
    private boolean stallReported;
    private boolean retired;

    TenantFeed(String tenant) {
        this.tenant = tenant;
    }

    /** Adds a subscriber and returns the position from which it will receive rows; null once retired. */
    synchronized StreamCursor join(FeedSubscriber subscriber, TelemetryDatabase db) {
        if (retired) {
            return null;
        }
        if (head == null) {
            head = db.read(tenant, TenantFeed::sequences);
        }
        subscribers.add(subscriber);
        return head;
    }

    void leave(FeedSubscriber subscriber) {
        subscribers.remove(subscriber);
        if (subscribers.isEmpty()) {
            idleSinceNanos = System.nanoTime();
        }
    }

    /** Retires the feed when nobody listened for {@code d}; a retired feed accepts no subscriber. */
    synchronized boolean retireIfIdle(Duration d) {
        if (subscribers.isEmpty() && System.nanoTime() - idleSinceNanos > d.toNanos()) {
            retired = true;
        }
        return retired;
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** One poll; true when a table hit the row limit and more rows are waiting. */
    boolean poll(TelemetryDatabase db, int limit, Duration stallLimit) {
        if (subscribers.isEmpty()) {
            return false;
        }
        return db.read(tenant, c -> {
            StreamCursor from;
            synchronized (this) {
                from = head;
            }
            if (from == null) {
                return false;
            }
            StreamCursor sequences = sequences(c);
            long[] snapshot = snapshot(c);
            StreamCursor safe = safeBound(sequences, snapshot[0], snapshot[1], stallLimit);
            if (safe == null) {
                return false;
            }
            List<List<FeedItem>> lists = FeedRows.read(c, tenant, from, safe, limit);
            StreamCursor next = safe;
            boolean more = false;
            for (List<FeedItem> list : lists) {
                if (list.size() >= limit) {
                    FeedItem last = list.get(list.size() - 1);
                    next = cap(next, last.kind(), last.id());
                    more = true;
                }
            }
            deliver(FeedRows.merge(lists), from, next);
            return more;
        });
    }

    private synchronized void deliver(List<FeedItem> items, StreamCursor from, StreamCursor next) {
        StreamCursor running = from;
        for (FeedItem item : items) {
            running = running.with(item.kind(), item.id());
            for (FeedSubscriber s : subscribers) {
                if (!s.offer(item, running)) {
                    subscribers.remove(s);
                    s.removed();
                }
            }
        }
        head = new StreamCursor(Math.max(from.events(), next.events()), Math.max(from.logs(), next.logs()),
                Math.max(from.executions(), next.executions()));
    }

    private static StreamCursor cap(StreamCursor c, FeedItem.Kind kind, long id) {
        return switch (kind) {
            case EVENT -> new StreamCursor(id, c.logs(), c.executions());
            case LOG -> new StreamCursor(c.events(), id, c.executions());
            case EXECUTION -> new StreamCursor(c.events(), c.logs(), id);
        };
    }

    private StreamCursor safeBound(StreamCursor sequences, long xmin, long xmax, Duration stallLimit) {
        long now = System.nanoTime();
        for (Pending p : pending) {
            if (p.xmax == 0 && now - p.atNanos >= SETTLE_NANOS) {
                p.xmax = xmax;
            }
        }
        pending.addLast(new Pending(sequences, now));
        StreamCursor safe = null;
        while (!pending.isEmpty()) {
            Pending oldest = pending.peekFirst();
            boolean finished = oldest.xmax != 0 && oldest.xmax <= xmin;
            boolean stalled = now - oldest.atNanos > stallLimit.toNanos() || pending.size() > MAX_PENDING;
            if (!finished && !stalled) {
                break;
            }
            if (!finished && !stallReported) {
                stallReported = true;
                LOG.warn("live stream of tenant {}: a database transaction has stayed open for over {} s; "
                        + "no longer waiting for it (rows it commits later with older ids will not be streamed)",
                        tenant, stallLimit.toSeconds());
            }
            safe = pending.pollFirst().sequences;
        }
        return safe;
    }

    static StreamCursor sequences(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(pg_sequence_last_value('events_id_seq'), 0), "
                     + "coalesce(pg_sequence_last_value('logs_id_seq'), 0), "
                     + "coalesce(pg_sequence_last_value('tool_executions_id_seq'), 0)")) {
            rs.next();
            return new StreamCursor(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    /** xmin and xmax of a snapshot taken after {@link #sequences}: a separate statement, so a later one. */
    private static long[] snapshot(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT txid_snapshot_xmin(s), txid_snapshot_xmax(s) FROM txid_current_snapshot() s")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    synchronized void closeAll() {
        for (FeedSubscriber s : subscribers) {
            subscribers.remove(s);
            s.removed();
        }
    }
}
