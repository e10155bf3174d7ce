package io.mcphub.telemetry;

import io.mcphub.telemetry.record.ExecutionSide;
import io.mcphub.telemetry.record.Outcome;
import java.time.Duration;
import java.time.Instant;

/**
 * One tools/call as the hub saw it. Arguments and result are stored only when payload capture is on
 * (redacted and capped); their sizes are stored always when known. {@code side} tells a call the hub
 * made downstream (the default) from one a client made to the hub.
 */
public record ToolExecution(String server, String tool, Instant startedAt, Duration duration, Outcome outcome,
                            String errorClass, String errorMessage, Integer argumentBytes, Integer resultBytes,
                            String sessionId, String requestId, Object arguments, Object result, ExecutionSide side) {

    public ToolExecution(String server, String tool, Instant startedAt, Duration duration, Outcome outcome,
                         String errorClass, String errorMessage, Integer argumentBytes, Integer resultBytes,
                         String sessionId, String requestId, Object arguments, Object result) {
        this(server, tool, startedAt, duration, outcome, errorClass, errorMessage, argumentBytes, resultBytes,
                sessionId, requestId, arguments, result, ExecutionSide.DOWNSTREAM);
    }

    public static ToolExecution success(String server, String tool, Instant startedAt, Duration duration) {
        return new ToolExecution(server, tool, startedAt, duration, Outcome.SUCCESS, null, null, null, null, null,
                null, null, null);
    }

    public static ToolExecution failure(String server, String tool, Instant startedAt, Duration duration,
                                        Outcome outcome, String errorClass, String errorMessage) {
        return new ToolExecution(server, tool, startedAt, duration, outcome, errorClass, errorMessage, null, null,
                null, null, null, null);
    }

    public ToolExecution withSizes(Integer argumentSize, Integer resultSize) {
        return new ToolExecution(server, tool, startedAt, duration, outcome, errorClass, errorMessage, argumentSize,
                resultSize, sessionId, requestId, arguments, result, side);
    }

    public ToolExecution withIds(String session, String request) {
        return new ToolExecution(server, tool, startedAt, duration, outcome, errorClass, errorMessage, argumentBytes,
                resultBytes, session, request, arguments, result, side);
    }

    public ToolExecution withPayloads(Object callArguments, Object callResult) {
        return new ToolExecution(server, tool, startedAt, duration, outcome, errorClass, errorMessage, argumentBytes,
                resultBytes, sessionId, requestId, callArguments, callResult, side);
    }

    /** The same call, marked as one a client made to the hub's own MCP endpoint. */
    public ToolExecution served() {
        return new ToolExecution(server, tool, startedAt, duration, outcome, errorClass, errorMessage, argumentBytes,
                resultBytes, sessionId, requestId, arguments, result, ExecutionSide.SERVED);
    }
}
