package io.mcphub.telemetry.testing;

import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.ToolCall;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.sink.CapturedPayloads;
import io.mcphub.telemetry.sink.Origin;
import io.mcphub.telemetry.sink.RecordSink;
import io.mcphub.telemetry.sink.SinkStats;
import io.mcphub.telemetry.text.SecretScrubber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sink that keeps what is published, as the Postgres sink would store it (a tool call becomes its
 * record at once, with the same checks and the same error-text cap), for tests of what telemetry and
 * the agent's hooks record.
 */
public final class InMemorySink implements RecordSink {

    private final List<TelemetryRecord> records = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @Override
    public boolean publish(TelemetryRecord record) {
        if (closed) {
            return false;
        }
        records.add(record);
        return true;
    }

    @Override
    public boolean publishExecution(Origin origin, ToolCall call, CapturedPayloads payloads) {
        ToolCall.check(call);
        return publish(ToolExecutionRecord.of(origin.tenantId(), origin.instanceId(), call,
                SecretScrubber.cap(call.errorMessage(), origin.maxTextChars()),
                payloads == null ? null : payloads.argumentsJson(), payloads == null ? null : payloads.resultJson()));
    }

    @Override
    public boolean flush(Duration timeout) {
        return true;
    }

    @Override
    public SinkStats.Snapshot stats() {
        return new SinkStats.Snapshot(records.size(), 0, records.size(), 0, 0, 0, 0, 0, 0, 0, 0, null);
    }

    @Override
    public void close() {
        closed = true;
    }

    public List<TelemetryRecord> records() {
        return List.copyOf(records);
    }

    /** The records of one type, in publishing order. */
    public <R extends TelemetryRecord> List<R> of(Class<R> type) {
        List<R> out = new ArrayList<>();
        for (TelemetryRecord r : records) {
            if (type.isInstance(r)) {
                out.add(type.cast(r));
            }
        }
        return out;
    }

    public void clear() {
        records.clear();
    }
}
