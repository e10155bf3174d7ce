package io.mcphub.telemetry.agent.instrumentation.mcpserver;

import io.mcphub.telemetry.agent.instrumentation.common.RecordedCall;
import io.mcphub.telemetry.model.ExecutionSide;

/**
 * A tools/call a client sent to the hub, waiting for the JSON-RPC response the hub sends back on the
 * same transport with the same id; completed, it is the execution recorded (side {@code served}).
 */
final class ServedCall extends RecordedCall {

    /** Identity of the transport (one per response stream or session) plus the JSON-RPC id. */
    record Key(Object transport, String id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.transport == transport && k.id.equals(id);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(transport) * 31 + id.hashCode();
        }
    }

    final Object arguments;

    ServedCall(String server, String tool, String sessionId, String requestId, long startedAtMicros, long startNanos,
               Object arguments) {
        super(ExecutionSide.SERVED, server, tool, requestId, sessionId, startedAtMicros, startNanos, -1);
        this.arguments = arguments;
    }
}
