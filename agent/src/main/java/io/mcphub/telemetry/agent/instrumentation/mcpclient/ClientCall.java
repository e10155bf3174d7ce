package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import io.mcphub.telemetry.agent.instrumentation.common.RecordedCall;
import io.mcphub.telemetry.model.ExecutionSide;

/**
 * A request sent to a downstream server whose response has not arrived yet; for a {@code tools/call},
 * also the execution recorded. Its server may be named only later (see {@link ServerNaming}).
 * {@code arguments} is kept only when payloads are captured.
 */
final class ClientCall extends RecordedCall {

    final String id;
    final ServerConnection connection;
    final String method;
    final Object arguments;
    final String cursor;

    ClientCall(String id, ServerConnection connection, String method, long startedAtMicros, long startNanos, String tool,
               int argumentBytes, Object arguments, String cursor, String sessionId) {
        super(ExecutionSide.DOWNSTREAM, null, tool, id, sessionId, startedAtMicros, startNanos, argumentBytes);
        this.id = id;
        this.connection = connection;
        this.method = method;
        this.arguments = arguments;
        this.cursor = cursor;
    }

    boolean isToolCall() {
        return method.equals(McpClientRequests.TOOLS_CALL);
    }
}
