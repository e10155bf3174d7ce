package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.ToolCall;
import java.time.Duration;

/**
 * Where records go. Publishing never blocks and never throws for storage trouble: false (and counted
 * as dropped) when the record could not be queued.
 */
public interface RecordSink extends AutoCloseable {

    boolean publish(TelemetryRecord record);

    /**
     * Queues a tool call without building a record on the caller's thread: the call object itself is
     * handed to the writer, so it must not change afterwards. {@code payloads} is null unless captured.
     * A call its record would refuse is refused at once ({@link ToolCall#check}).
     */
    boolean publishExecution(Origin origin, ToolCall call, CapturedPayloads payloads);

    /** Blocks until everything published so far is stored; false on timeout. */
    boolean flush(Duration timeout);

    SinkStats.Snapshot stats();

    /** Whether what is queued can be stored now; false when waiting for it at exit would be in vain. */
    default boolean writable() {
        return true;
    }

    @Override
    void close();
}
