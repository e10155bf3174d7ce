package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.record.ExecutionSide;
import io.mcphub.telemetry.record.Outcome;
import io.mcphub.telemetry.record.TelemetryRecord;
import io.mcphub.telemetry.record.ToolExecutionRecord;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * A pre-allocated ring slot: a record to store, a tool execution given field by field, or a flush
 * request to acknowledge. Tool executions, the most frequent record by far, are written into the
 * slot's own fields so that publishing one allocates nothing on the hub's thread; the sink thread
 * turns them into a {@link ToolExecutionRecord}.
 */
final class RingEvent {
    TelemetryRecord record;
    CountDownLatch flushed;

    private boolean execution;
    private String tenantId;
    private String instanceId;
    private String serverName;
    private String toolName;
    private long startedAtMicros;
    private long durationMicros;
    private Outcome outcome;
    private String errorClass;
    private String errorMessage;
    private int argumentBytes;
    private int resultBytes;
    private String sessionId;
    private String requestId;
    private ExecutionSide side;

    /** Arguments are checked by the caller ({@link ToolExecutionRecord#check}); sizes below 0 mean unknown. */
    void setExecution(String tenantId, String instanceId, String serverName, String toolName, long startedAtMicros,
                      long durationMicros, Outcome outcome, String errorClass, String errorMessage, int argumentBytes,
                      int resultBytes, String sessionId, String requestId, ExecutionSide side) {
        this.execution = true;
        this.tenantId = tenantId;
        this.instanceId = instanceId;
        this.serverName = serverName;
        this.toolName = toolName;
        this.startedAtMicros = startedAtMicros;
        this.durationMicros = durationMicros;
        this.outcome = outcome;
        this.errorClass = errorClass;
        this.errorMessage = errorMessage;
        this.argumentBytes = argumentBytes;
        this.resultBytes = resultBytes;
        this.sessionId = sessionId;
        this.requestId = requestId;
        this.side = side;
    }

    /** The record this slot carries, if any (consumer side). */
    TelemetryRecord takeRecord() {
        if (record != null) {
            return record;
        }
        if (!execution) {
            return null;
        }
        return new ToolExecutionRecord(tenantId, instanceId, serverName, toolName,
                Instant.ofEpochSecond(Math.floorDiv(startedAtMicros, 1_000_000L), Math.floorMod(startedAtMicros, 1_000_000L) * 1_000L),
                durationMicros, outcome, errorClass, errorMessage, argumentBytes < 0 ? null : argumentBytes,
                resultBytes < 0 ? null : resultBytes, sessionId, requestId, null, null, side);
    }

    void clear() {
        record = null;
        flushed = null;
        if (execution) {
            execution = false;
            tenantId = instanceId = serverName = toolName = errorClass = errorMessage = sessionId = requestId = null;
            outcome = null;
            side = null;
        }
    }
}
