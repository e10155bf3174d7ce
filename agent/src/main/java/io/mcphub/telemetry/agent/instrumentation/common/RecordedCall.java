package io.mcphub.telemetry.agent.instrumentation.common;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ToolCall;

/**
 * A tools/call a hook is timing: created when the request is seen, completed once when its outcome is
 * known, then handed to telemetry as it is (recording it allocates nothing more). Never changed after
 * it was recorded.
 */
public abstract class RecordedCall implements ToolCall {

    private final ExecutionSide side;
    private final String tool;
    private final String requestId;
    private final String sessionId;
    private final long startedAtMicros;
    private final int argumentBytes;
    /** When the request was seen, for durations and age. */
    public final long startNanos;
    private String server;
    private long durationMicros;
    private Outcome outcome;
    private String errorClass;
    private String errorMessage;
    private int resultBytes = -1;
    private long traceIdHigh;
    private long traceIdLow;
    private long spanId;
    private long parentSpanId;

    protected RecordedCall(ExecutionSide side, String server, String tool, String requestId, String sessionId,
                           long startedAtMicros, long startNanos, int argumentBytes) {
        this.side = side;
        this.server = server;
        this.tool = tool;
        this.requestId = requestId;
        this.sessionId = sessionId;
        this.startedAtMicros = startedAtMicros;
        this.startNanos = startNanos;
        this.argumentBytes = argumentBytes;
    }

    /** Sets the call's trace context (its own span and the one it continues), once, when the request is seen. */
    public final RecordedCall traced(long traceHigh, long traceLow, long span, long parentSpan) {
        this.traceIdHigh = traceHigh;
        this.traceIdLow = traceLow;
        this.spanId = span;
        this.parentSpanId = parentSpan;
        return this;
    }

    /** Sets how the call ended (and, when known only now, its server's name); done once, before recording. */
    public final RecordedCall completed(String serverName, long endNanos, Outcome how, String errorClassName,
                                        String message, int resultSize) {
        if (serverName != null) {
            this.server = serverName;
        }
        this.durationMicros = Math.max(1, (endNanos - startNanos) / 1_000);
        this.outcome = how;
        this.errorClass = errorClassName;
        this.errorMessage = message;
        this.resultBytes = resultSize;
        return this;
    }

    @Override
    public final String server() {
        return server;
    }

    @Override
    public final String tool() {
        return tool == null ? "?" : tool;
    }

    @Override
    public final long startedAtMicros() {
        return startedAtMicros;
    }

    @Override
    public final long durationMicros() {
        return durationMicros;
    }

    @Override
    public final Outcome outcome() {
        return outcome;
    }

    @Override
    public final String errorClass() {
        return errorClass;
    }

    @Override
    public final String errorMessage() {
        return errorMessage;
    }

    @Override
    public final int argumentBytes() {
        return argumentBytes;
    }

    @Override
    public final int resultBytes() {
        return resultBytes;
    }

    @Override
    public final String sessionId() {
        return sessionId;
    }

    @Override
    public final String requestId() {
        return requestId;
    }

    @Override
    public final ExecutionSide side() {
        return side;
    }

    @Override
    public final long traceIdHigh() {
        return traceIdHigh;
    }

    @Override
    public final long traceIdLow() {
        return traceIdLow;
    }

    @Override
    public final long spanId() {
        return spanId;
    }

    @Override
    public final long parentSpanId() {
        return parentSpanId;
    }
}
