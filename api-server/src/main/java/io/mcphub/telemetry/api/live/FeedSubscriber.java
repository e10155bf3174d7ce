package io.mcphub.telemetry.api.live;

/** Receives a tenant's new rows from the shared poller thread; must never block. */
public interface FeedSubscriber {
    /** @return false to be removed (e.g. a client that fell too far behind) */
    boolean offer(FeedItem item, StreamCursor after);

    /** Called once the subscriber was removed by the feed (overflow, shutdown). */
    default void removed() {
    }
}
