package io.mcphub.telemetry.api.live;

import com.sun.net.httpserver.HttpExchange;
import io.mcphub.telemetry.api.ApiException;
import io.mcphub.telemetry.api.ApiSettings;
import io.mcphub.telemetry.api.ExchangeClaim;
import io.mcphub.telemetry.api.IoDeadlines;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.TelemetryDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/telemetry/events}: Server-Sent Events of a tenant's events, logs and tool executions.
 *
 * <p>Each client gets a thread from a bounded pool of its own, apart from the request threads, and a
 * bounded queue that the shared poller fills without ever blocking. Slots are counted per tenant
 * ({@code maxStreamClients}; the pool holds {@code maxStreamClientsTotal}), so one tenant cannot
 * take every stream; beyond either: 503. A client that falls behind (queue full) is dropped: its
 * queue is emptied, the stream closed, and the browser's EventSource reconnects with
 * {@code Last-Event-ID} and catches up from the database. Every write is limited to the read timeout,
 * so a peer that stopped reading is let go then; a vanished one is noticed at the latest by the next
 * heartbeat write.
 */
public final class EventStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final Object DROP = new Object();
    private static final int REPLAY_PAGE = 500;

    /** The streams of one tenant: its slots and what its own {@code /metrics} shows. */
    private static final class TenantStreams {
        final AtomicInteger active = new AtomicInteger();
        final LongAdder droppedSlow = new LongAdder();
    }

    private final FeedHub hub;
    private final TelemetryDatabase db;
    private final ApiSettings settings;
    private final IoDeadlines deadlines;
    private final ThreadPoolExecutor pool;
    private final Map<String, TenantStreams> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    public final LongAdder opened = new LongAdder();
    public final LongAdder droppedSlow = new LongAdder();
    public final LongAdder vanished = new LongAdder();
    public final LongAdder rejected = new LongAdder();
    public final LongAdder replayed = new LongAdder();
    public final LongAdder sent = new LongAdder();

    public EventStream(FeedHub hub, TelemetryDatabase db, ApiSettings settings, IoDeadlines deadlines) {
        this.hub = hub;
        this.db = db;
        this.settings = settings;
        this.deadlines = deadlines;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.maxStreamClientsTotal(), settings.maxStreamClientsTotal(), 30,
                TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "mcp-telemetry-api-sse-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Clients of all tenants (for this server's own tests and logs, never shown to a tenant). */
    public int activeClients() {
        return active.get();
    }

    /** Live stream clients of {@code tenant}. */
    public int activeClients(String tenant) {
        TenantStreams t = tenants.get(tenant);
        return t == null ? 0 : t.active.get();
    }

    /** Clients of {@code tenant} dropped for reading too slowly. */
    public long droppedSlow(String tenant) {
        TenantStreams t = tenants.get(tenant);
        return t == null ? 0 : t.droppedSlow.sum();
    }

    /**
     * Validates the request and takes a slot of the tenant, then streams on a pool thread once
     * {@code claim} is won (the request's deadline may have answered it meanwhile); returns at once.
     */
    public void open(HttpExchange exchange, String tenant, Params params, ExchangeClaim claim) {
        params.allow(Set.of("types", "server", "last_event_id", "tenant", "access_token"));
        Set<FeedItem.Kind> kinds = kinds(params.text("types"));
        String server = params.text("server");
        String resume = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        String resumeParam = "Last-Event-ID";
        if (resume == null || resume.isBlank()) {
            resume = params.text("last_event_id");
            resumeParam = "last_event_id";
        }
        StreamCursor from = resume == null || resume.isBlank() ? null : StreamCursor.parse(resume, resumeParam);
        if (from != null) {
            refuseFuture(tenant, from, resumeParam);
        }
        TenantStreams slots = tenants.computeIfAbsent(tenant, t -> new TenantStreams());
        if (slots.active.incrementAndGet() > settings.maxStreamClients()) {
            slots.active.decrementAndGet();
            rejected.increment();
            throw new ApiException(503, "too_many_streams", "tenant '" + tenant + "' already has "
                    + settings.maxStreamClients() + " live streams open on this server, the most one tenant may have; "
                    + "close one or try again later", null);
        }
        Client client = new Client(exchange, tenant, slots, kinds, server, from);
        try {
            if (!claim.take()) {
                slots.active.decrementAndGet(); // the request was answered (its deadline passed) meanwhile
                return;
            }
            pool.execute(client);
        } catch (RejectedExecutionException e) {
            slots.active.decrementAndGet();
            rejected.increment();
            // the claim is ours: answer here
            respondError(exchange, new ApiException(503, "too_many_streams", "this server already streams to "
                    + settings.maxStreamClientsTotal() + " clients, the most it serves; try again later", null));
        }
    }

    /**
     * A cursor beyond every id the sequences have handed out was never given by this stream: resuming
     * from it would wait silently for rows that may never come, so it is the client's error.
     */
    private void refuseFuture(String tenant, StreamCursor from, String parameter) {
        StreamCursor newest = db.read(tenant, TenantFeed::sequences);
        if (from.events() > newest.events() || from.logs() > newest.logs() || from.executions() > newest.executions()) {
            throw ApiException.badParameter(parameter, "'" + from + "' is ahead of the newest stored rows (" + newest
                    + "): not a position this stream has given out; omit it to start at the present");
        }
    }

    private static void respondError(HttpExchange exchange, ApiException e) {
        try (exchange) {
            byte[] body = Json.write(Json.object("error", e.code(), "message", e.getMessage(), "status", e.status()))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Retry-After", "1");
            exchange.sendResponseHeaders(e.status(), body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException io) {
            LOG.debug("live stream client went away before its 503: {}", io.toString());
        }
    }

    private static Set<FeedItem.Kind> kinds(String types) {
        if (types == null) {
            return EnumSet.allOf(FeedItem.Kind.class);
        }
        Set<FeedItem.Kind> kinds = EnumSet.noneOf(FeedItem.Kind.class);
        for (String t : types.split(",")) {
            String name = t.strip().toLowerCase(Locale.ROOT);
            FeedItem.Kind kind = null;
            for (FeedItem.Kind k : FeedItem.Kind.values()) {
                if (k.typeName.equals(name) || k.sseName.equals(name)) {
                    kind = k;
                }
            }
            if (kind == null) {
                throw ApiException.badParameter("types", "must list events, logs, executions (comma-separated), got '" + t + "'");
            }
            kinds.add(kind);
        }
        return kinds;
    }

    private record Message(FeedItem item, StreamCursor after) {
    }

    private final class Client implements FeedSubscriber, Runnable {
        private final HttpExchange exchange;
        private final String tenant;
        private final TenantStreams slots;
        private final Set<FeedItem.Kind> kinds;
        private final String server;
        private final StreamCursor resumeFrom;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(settings.streamQueueCapacity() + 1);
        private volatile boolean dropped;
        private StreamCursor floor;

        Client(HttpExchange exchange, String tenant, TenantStreams slots, Set<FeedItem.Kind> kinds, String server,
               StreamCursor resumeFrom) {
            this.exchange = exchange;
            this.tenant = tenant;
            this.slots = slots;
            this.kinds = kinds;
            this.server = server;
            this.resumeFrom = resumeFrom;
        }

        @Override
        public boolean offer(FeedItem item, StreamCursor after) {
            if (dropped) {
                return false;
            }
            if (queue.remainingCapacity() > 1 && queue.offer(new Message(item, after))) {
                return true;
            }
            // too slow: forget what it has not read; it resumes from the database when it reconnects
            dropped = true;
            queue.clear();
            queue.offer(DROP);
            droppedSlow.increment();
            slots.droppedSlow.increment();
            return false;
        }

        @Override
        public void removed() {
            if (!dropped) {
                dropped = true;
                queue.clear();
                queue.offer(DROP);
            }
        }

        @Override
        public void run() {
            active.incrementAndGet();
            opened.increment();
            boolean subscribed = false;
            try (exchange) {
                var headers = exchange.getResponseHeaders();
                headers.set("Content-Type", "text/event-stream; charset=utf-8");
                headers.set("Cache-Control", "no-cache, no-store");
                headers.set("X-Accel-Buffering", "no");
                try (IoDeadlines.Guard writing = deadlines.arm(settings.readTimeout())) {
                    exchange.sendResponseHeaders(200, 0);
                }
                OutputStream out = exchange.getResponseBody();
                write(out, "retry: 2000\n: mcp hub telemetry live stream\n\n");
                StreamCursor joined = hub.subscribe(tenant, this);
                subscribed = true;
                floor = resumeFrom == null ? joined : resumeFrom;
                if (resumeFrom != null) {
                    replay(out, resumeFrom, joined);
                }
                StreamCursor readyAt = max(floor, joined);
                write(out, "id: " + readyAt + "\nevent: ready\ndata: " + Json.write(Json.object("cursor", readyAt.toString(),
                        "tenant", tenant, "heartbeat_s", settings.heartbeat().toSeconds())) + "\n\n");
                long heartbeatMillis = Math.max(50, settings.heartbeat().toMillis());
                while (true) {
                    Object next = queue.poll(heartbeatMillis, TimeUnit.MILLISECONDS);
                    if (next == DROP) {
                        return;
                    }
                    if (next == null) {
                        write(out, ": heartbeat " + System.currentTimeMillis() + "\n\n");
                    } else {
                        Message m = (Message) next;
                        if (!floor.covers(m.item) && wanted(m.item)) {
                            send(out, m.item, m.after);
                        }
                    }
                }
            } catch (IOException e) {
                vanished.increment();
                LOG.debug("live stream client of tenant {} went away: {}", tenant, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("live stream of tenant {} ended: {}", tenant, e.toString());
            } finally {
                if (subscribed) {
                    hub.unsubscribe(tenant, this);
                }
                active.decrementAndGet();
                slots.active.decrementAndGet();
            }
        }

        private boolean wanted(FeedItem item) {
            return kinds.contains(item.kind()) && (server == null || server.equals(item.server()));
        }

        /** Rows between the client's cursor and the live position, read from the database page by page. */
        private void replay(OutputStream out, StreamCursor from, StreamCursor to) throws IOException {
            StreamCursor at = from;
            long count = 0;
            while (true) {
                StreamCursor pageFrom = at;
                List<List<FeedItem>> lists = db.read(tenant, c -> FeedRows.read(c, tenant, pageFrom, to, REPLAY_PAGE));
                boolean more = false;
                for (FeedItem item : FeedRows.merge(lists)) {
                    at = at.with(item.kind(), item.id());
                    if (wanted(item)) {
                        send(out, item, at);
                        count++;
                    }
                }
                for (List<FeedItem> list : lists) {
                    more |= list.size() >= REPLAY_PAGE;
                }
                replayed.add(count);
                if (!more) {
                    floor = max(at, to);
                    return;
                }
                if (count >= settings.maxReplay()) {
                    write(out, "event: gap\ndata: " + Json.write(Json.object("from", at.toString(), "to", to.toString(),
                            "reason", "more than " + settings.maxReplay() + " rows to replay; use /api/telemetry/executions for the rest"))
                            + "\n\n");
                    floor = max(at, to);
                    return;
                }
            }
        }

        private void send(OutputStream out, FeedItem item, StreamCursor after) throws IOException {
            write(out, "id: " + max(after, floor) + "\nevent: " + item.kind().sseName + "\ndata: " + Json.write(item.data()) + "\n\n");
            sent.increment();
        }

        private void write(OutputStream out, String text) throws IOException {
            try (IoDeadlines.Guard writing = deadlines.arm(settings.readTimeout())) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private static StreamCursor max(StreamCursor a, StreamCursor b) {
        return new StreamCursor(Math.max(a.events(), b.events()), Math.max(a.logs(), b.logs()),
                Math.max(a.executions(), b.executions()));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
