package io.mcphub.telemetry.record;

import java.time.Instant;

/**
 * Row of {@code tool_executions}: one tools/call. {@code arguments} and {@code result} stay null unless
 * payload capture is switched on; sizes are always recorded when known.
 */
public record ToolExecutionRecord(String tenantId, String instanceId, String serverName, String toolName,
                                  Instant startedAt, long durationMicros, Outcome outcome, String errorClass,
                                  String errorMessage, Integer argumentBytes, Integer resultBytes, String sessionId,
                                  String requestId, String arguments, String result, ExecutionSide side)
        implements TelemetryRecord {

    /** A call the hub made to a downstream server. */
    public ToolExecutionRecord(String tenantId, String instanceId, String serverName, String toolName,
                               Instant startedAt, long durationMicros, Outcome outcome, String errorClass,
                               String errorMessage, Integer argumentBytes, Integer resultBytes, String sessionId,
                               String requestId, String arguments, String result) {
        this(tenantId, instanceId, serverName, toolName, startedAt, durationMicros, outcome, errorClass, errorMessage,
                argumentBytes, resultBytes, sessionId, requestId, arguments, result, ExecutionSide.DOWNSTREAM);
    }

    public ToolExecutionRecord {
        Require.present(side, "side");
        Require.text(tenantId, "tenantId");
        Require.text(serverName, "serverName");
        Require.text(toolName, "toolName");
        Require.time(startedAt, "startedAt");
        Require.nonNegative(durationMicros, "durationMicros");
        Require.present(outcome, "outcome");
    }

    /** Latest start accepted, in microseconds since the epoch (as for every time: before year 10000). */
    public static final long MAX_STARTED_AT_MICROS = 253_402_300_799_000_000L;

    /**
     * The constructor's checks for an execution given field by field ({@code startedAtMicros} since the
     * epoch), so a producer that publishes without building the record fails the same way, at once.
     */
    public static void check(String tenantId, String serverName, String toolName, long startedAtMicros,
                             long durationMicros, Outcome outcome, ExecutionSide side) {
        Require.present(side, "side");
        Require.text(tenantId, "tenantId");
        Require.text(serverName, "serverName");
        Require.text(toolName, "toolName");
        if (startedAtMicros < 0 || startedAtMicros > MAX_STARTED_AT_MICROS) {
            throw new IllegalArgumentException("startedAt must lie between years 1970 and 9999, got " + startedAtMicros + " µs");
        }
        Require.nonNegative(durationMicros, "durationMicros");
        Require.present(outcome, "outcome");
    }
}
