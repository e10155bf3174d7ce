package io.mcphub.telemetry;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolCall;
import java.time.Duration;
import java.time.Instant;

/**
 * One tools/call as the hub saw it. Arguments and result are stored only when payload capture is on
 * (redacted and capped); their sizes ({@code < 0}: unknown) are stored always. {@code side} tells a
 * call the hub made downstream (the default) from one a client made to the hub. A start left null
 * means the call ended now.
 */
public record ToolExecution(String server, String tool, Instant startedAt, Duration duration, Outcome outcome,
                            String errorClass, String errorMessage, int argumentBytes, int resultBytes,
                            String sessionId, String requestId, Object arguments, Object result, ExecutionSide side)
        implements ToolCall {

    public ToolExecution {
        if (duration == null) {
            throw new IllegalArgumentException("duration must not be null");
        }
        side = side == null ? ExecutionSide.DOWNSTREAM : side;
        startedAt = startedAt == null ? Instant.now().minus(duration) : startedAt;
    }

    public static ToolExecution success(String server, String tool, Instant startedAt, Duration duration) {
        return new ToolExecution(server, tool, startedAt, duration, Outcome.SUCCESS, null, null, -1, -1, null, null,
                null, null, ExecutionSide.DOWNSTREAM);
    }

    public static ToolExecution failure(String server, String tool, Instant startedAt, Duration duration,
                                        Outcome outcome, String errorClass, String errorMessage) {
        return new ToolExecution(server, tool, startedAt, duration, outcome, errorClass, errorMessage, -1, -1, null,
                null, null, null, ExecutionSide.DOWNSTREAM);
    }

    /** Argument and result sizes in UTF-8 bytes of their JSON; null for unknown. */
    public ToolExecution withSizes(Integer argumentSize, Integer resultSize) {
        return new ToolExecution(server, tool, startedAt, duration, outcome, errorClass, errorMessage,
                argumentSize == null ? -1 : argumentSize, resultSize == null ? -1 : resultSize, sessionId, requestId,
                arguments, result, side);
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

    @Override
    public long startedAtMicros() {
        return Times.micros(startedAt, "startedAt");
    }

    @Override
    public long durationMicros() {
        return Math.max(0, duration.toNanos() / 1_000);
    }
}
