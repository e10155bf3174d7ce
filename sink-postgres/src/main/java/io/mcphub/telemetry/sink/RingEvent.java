package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.ToolCall;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.text.SecretScrubber;
import java.util.concurrent.CountDownLatch;

/**
 * A pre-allocated ring slot: a record to store, a tool call to store (the publisher's own object, so
 * publishing one allocates nothing on the hub's thread; the sink thread turns it into a
 * {@link ToolExecutionRecord}), or a flush request to acknowledge.
 */
final class RingEvent {
    TelemetryRecord record;
    Origin origin;
    ToolCall call;
    CapturedPayloads payloads;
    CountDownLatch flushed;

    /** The record this slot carries, if any (consumer side). */
    TelemetryRecord takeRecord() {
        if (record != null) {
            return record;
        }
        if (call == null) {
            return null;
        }
        return ToolExecutionRecord.of(origin.tenantId(), origin.instanceId(), call,
                SecretScrubber.cap(call.errorMessage(), origin.maxTextChars()),
                payloads == null ? null : payloads.argumentsJson(), payloads == null ? null : payloads.resultJson());
    }

    void clear() {
        record = null;
        origin = null;
        call = null;
        payloads = null;
        flushed = null;
    }
}
