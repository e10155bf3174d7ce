package io.mcphub.telemetry.model;

/**
 * Row of {@code tool_executions}: one tools/call. {@code arguments} and {@code result} (JSON text) stay
 * null unless payload capture is switched on; sizes are null when unknown. The start time stays in
 * microseconds from the hook to the encoder.
 */
public record ToolExecutionRecord(String tenantId, String instanceId, String serverName, String toolName,
                                  long startedAtMicros, long durationMicros, Outcome outcome, String errorClass,
                                  String errorMessage, Integer argumentBytes, Integer resultBytes, String sessionId,
                                  String requestId, String arguments, String result, ExecutionSide side)
        implements TelemetryRecord {

    public ToolExecutionRecord {
        Require.text(tenantId, "tenantId");
        Require.text(serverName, "serverName");
        Require.text(toolName, "toolName");
        Times.requireMicros(startedAtMicros, "startedAt");
        Require.nonNegative(durationMicros, "durationMicros");
        Require.present(outcome, "outcome");
        Require.present(side, "side");
    }

    /** A call in the record's terms, with its error message as stored: unknown sizes (below 0) become null. */
    public static ToolExecutionRecord of(String tenantId, String instanceId, ToolCall call, String errorMessage,
                                         String arguments, String result) {
        return new ToolExecutionRecord(tenantId, instanceId, call.server(), call.tool(), call.startedAtMicros(),
                call.durationMicros(), call.outcome(), call.errorClass(), errorMessage,
                call.argumentBytes() < 0 ? null : call.argumentBytes(), call.resultBytes() < 0 ? null : call.resultBytes(),
                call.sessionId(), call.requestId(), arguments, result, call.side());
    }
}
