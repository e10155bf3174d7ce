package io.mcphub.telemetry.model;

/**
 * What is recorded of one {@code tools/call}, as the ring reads it: the public {@code ToolExecution}
 * and the agent's in-flight calls both are one, so a call is published by copying these fields into a
 * pre-allocated ring slot (nothing is allocated). Sizes below 0 are unknown.
 */
public interface ToolCall {

    String server();

    String tool();

    /** Microseconds since 1970-01-01T00:00Z. */
    long startedAtMicros();

    long durationMicros();

    Outcome outcome();

    String errorClass();

    String errorMessage();

    int argumentBytes();

    int resultBytes();

    String sessionId();

    String requestId();

    ExecutionSide side();

    /** High half of the W3C trace id the call belongs to; with {@link #traceIdLow()} 0 when it has none. */
    default long traceIdHigh() {
        return 0;
    }

    default long traceIdLow() {
        return 0;
    }

    /** The call's own span (the MCP client or server span); 0 when none. */
    default long spanId() {
        return 0;
    }

    /** The span the call's span is a child of (the hub's current span, or the caller's); 0 when none. */
    default long parentSpanId() {
        return 0;
    }

    /**
     * The checks {@link ToolExecutionRecord} makes, done where a call is published so that a bad call
     * fails its caller at once.
     */
    static void check(ToolCall call) {
        Require.present(call, "execution");
        Require.text(call.server(), "serverName");
        Require.text(call.tool(), "toolName");
        Times.requireMicros(call.startedAtMicros(), "startedAt");
        Require.nonNegative(call.durationMicros(), "durationMicros");
        Require.present(call.outcome(), "outcome");
        Require.present(call.side(), "side");
    }
}
