package io.mcphub.telemetry.api.prometheus;

import io.mcphub.telemetry.api.live.FeedItem;
import io.mcphub.telemetry.api.live.FeedSubscriber;
import io.mcphub.telemetry.api.live.StreamCursor;

/** Everything {@code /metrics} counts from one tenant's live feed, subscribed once: our names and the convention's. */
final class TenantSeries implements FeedSubscriber {
    final ExecutionCounters calls = new ExecutionCounters();
    final OperationDurations operations = new OperationDurations();
    final SessionDurations sessions = new SessionDurations();

    @Override
    public boolean offer(FeedItem item, StreamCursor after) {
        calls.offer(item, after);
        operations.offer(item, after);
        sessions.offer(item, after);
        return true;
    }
}
