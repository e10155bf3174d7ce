package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.record.TelemetryRecord;
import java.util.concurrent.CountDownLatch;

/** A pre-allocated ring slot: a record to store, or a flush request to acknowledge. */
final class RingEvent {
    TelemetryRecord record;
    CountDownLatch flushed;

    void clear() {
        record = null;
        flushed = null;
    }
}
