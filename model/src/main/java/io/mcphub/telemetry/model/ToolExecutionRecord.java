package io.mcphub.telemetry.model;

import io.mcphub.telemetry.text.Names;

/**
 * Row of {@code tool_executions}: one tools/call. {@code arguments} and {@code result} (JSON text) stay
 * null unless payload capture is switched on; sizes are null when unknown. The start time stays in
 * microseconds from the hook to the encoder.
 */
public record ToolExecutionRecord(String tenantId, String instanceId, String serverName, String toolName,
                                  long startedAtMicros, long durationMicros, Outcome outcome, String errorClass,
                                  String errorMessage, Integer argumentBytes, Integer resultBytes, String sessionId,
                                  String requestId, String arguments, String result, ExecutionSide side,
                                  long traceIdHigh, long traceIdLow, long spanId, long parentSpanId)
        implements TelemetryRecord {

    public ToolExecutionRecord {
        instanceId = Names.cap(instanceId);
        errorClass = Names.cap(errorClass);
        sessionId = Names.cap(sessionId);
        requestId = Names.cap(requestId);
        Require.text(tenantId, "tenantId");
        serverName = Require.name(serverName, "serverName");
        toolName = Require.name(toolName, "toolName");
        Times.requireMicros(startedAtMicros, "startedAt");
        Require.nonNegative(durationMicros, "durationMicros");
        Require.present(outcome, "outcome");
        Require.present(side, "side");
    }

    /** An execution outside any trace. */
    public ToolExecutionRecord(String tenantId, String instanceId, String serverName, String toolName,
                               long startedAtMicros, long durationMicros, Outcome outcome, String errorClass,
                               String errorMessage, Integer argumentBytes, Integer resultBytes, String sessionId,
                               String requestId, String arguments, String result, ExecutionSide side) {
        this(tenantId, instanceId, serverName, toolName, startedAtMicros, durationMicros, outcome, errorClass,
                errorMessage, argumentBytes, resultBytes, sessionId, requestId, arguments, result, side, 0, 0, 0, 0);
    }

    /** The trace id as 32 hex digits, null when none. */
    public String traceId() {
        return TraceIds.traceId(traceIdHigh, traceIdLow);
    }

    /** A call in the record's terms, with its error message as stored: unknown sizes (below 0) become null. */
    public static ToolExecutionRecord of(String tenantId, String instanceId, ToolCall call, String errorMessage,
                                         String arguments, String result) {
        return new ToolExecutionRecord(tenantId, instanceId, call.server(), call.tool(), call.startedAtMicros(),
                call.durationMicros(), call.outcome(), call.errorClass(), errorMessage,
                call.argumentBytes() < 0 ? null : call.argumentBytes(), call.resultBytes() < 0 ? null : call.resultBytes(),
                call.sessionId(), call.requestId(), arguments, result, call.side(), call.traceIdHigh(), call.traceIdLow(),
                call.spanId(), call.parentSpanId());
    }
}
