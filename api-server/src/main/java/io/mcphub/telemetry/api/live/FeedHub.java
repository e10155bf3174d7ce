package io.mcphub.telemetry.api.live;

import io.mcphub.telemetry.text.SecretScrubber;
import io.mcphub.telemetry.api.ApiSettings;
import io.mcphub.telemetry.api.TelemetryDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poller thread for all tenants: each tenant with subscribers costs one small query round per
 * poll interval however many clients watch it. Feeds nobody watched for a minute are dropped.
 */
public final class FeedHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedHub.class);
    private static final int ROWS_PER_POLL = 1_000;
    private static final Duration IDLE = Duration.ofMinutes(1);

    private final TelemetryDatabase db;
    private final ApiSettings settings;
    private final Map<String, TenantFeed> feeds = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private volatile long lastFailureLog;
    final LongAdder polls = new LongAdder();
    final LongAdder pollFailures = new LongAdder();

    public FeedHub(TelemetryDatabase db, ApiSettings settings) {
        this.db = db;
        this.settings = settings;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-telemetry-api-poller");
            t.setDaemon(true);
            return t;
        });
        long every = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollAll, every, every, TimeUnit.MILLISECONDS);
    }

    /** Subscribes to a tenant's rows; returns the position from which rows will be offered. */
    public StreamCursor subscribe(String tenant, FeedSubscriber subscriber) {
        while (true) {
            TenantFeed feed = feeds.computeIfAbsent(tenant, TenantFeed::new);
            StreamCursor at = feed.join(subscriber, db);
            if (at != null) {
                return at;
            }
            feeds.remove(tenant, feed); // retired by the poller just now: take a fresh one
        }
    }

    public void unsubscribe(String tenant, FeedSubscriber subscriber) {
        TenantFeed feed = feeds.get(tenant);
        if (feed != null) {
            feed.leave(subscriber);
        }
    }

    public int subscribers() {
        return feeds.values().stream().mapToInt(TenantFeed::subscriberCount).sum();
    }

    private void pollAll() {
        for (TenantFeed feed : feeds.values()) {
            if (feed.retireIfIdle(IDLE)) {
                feeds.remove(feed.tenant, feed);
                continue;
            }
            try {
                for (int round = 0; round < 20 && feed.poll(db, ROWS_PER_POLL, settings.stallLimit()); round++) {
                    // a burst: keep reading until caught up (bounded, so other tenants get their turn)
                }
                polls.increment();
            } catch (RuntimeException e) {
                pollFailures.increment();
                long now = System.currentTimeMillis();
                if (now - lastFailureLog > 60_000) {
                    lastFailureLog = now;
                    LOG.warn("live stream poll failed for tenant {} (retrying every {} ms): {}", feed.tenant,
                            settings.pollInterval().toMillis(), SecretScrubber.scrub(e.getMessage()));
                }
            }
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        feeds.values().forEach(TenantFeed::closeAll);
        feeds.clear();
    }
}
