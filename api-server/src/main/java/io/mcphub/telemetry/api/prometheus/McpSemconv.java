package io.mcphub.telemetry.api.prometheus;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Transport;

/**
 * The OpenTelemetry semantic conventions for MCP metrics, as written in open-telemetry/semantic-conventions
 * docs/gen-ai/mcp.md (commit 7b0c0fe, the last before it moved to open-telemetry/semantic-conventions-genai
 * docs/gen-ai/mcp.md, model/mcp/metrics.yaml): metric names, unit and bucket boundaries, and the values this
 * exporter gives the attributes. Prometheus names follow the OpenTelemetry-to-Prometheus compatibility
 * spec: dots become underscores, the unit {@code s} becomes the suffix {@code _seconds}.
 */
final class McpSemconv {
    /** "SHOULD be specified with ExplicitBucketBoundaries of [ 0.01, 0.02, ... 300 ]" (all four metrics). */
    static final double[] BUCKETS = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300};

    static final String CLIENT_OPERATION_DURATION = "mcp_client_operation_duration_seconds";
    static final String SERVER_OPERATION_DURATION = "mcp_server_operation_duration_seconds";
    static final String SERVER_SESSION_DURATION = "mcp_server_session_duration_seconds";

    /** Executions are tools/call only: the one method and its GenAI operation. */
    static final String TOOLS_CALL = "tools/call";
    static final String EXECUTE_TOOL = "execute_tool";

    /** The convention's attributes this exporter sets, each with its Prometheus label name. */
    enum Attribute {
        MCP_METHOD_NAME("mcp.method.name"),
        GEN_AI_OPERATION_NAME("gen_ai.operation.name"),
        GEN_AI_TOOL_NAME("gen_ai.tool.name"),
        ERROR_TYPE("error.type"),
        MCP_PROTOCOL_VERSION("mcp.protocol.version"),
        NETWORK_TRANSPORT("network.transport"),
        NETWORK_PROTOCOL_NAME("network.protocol.name");

        final String otelName;
        final String label;

        Attribute(String otelName) {
            this.otelName = otelName;
            this.label = otelName.replace('.', '_');
        }
    }

    private McpSemconv() {
    }

    /** Downstream calls are the hub acting as MCP client; served calls the hub acting as MCP server. */
    static String operationMetric(ExecutionSide side) {
        return side == ExecutionSide.DOWNSTREAM ? CLIENT_OPERATION_DURATION : SERVER_OPERATION_DURATION;
    }

    /** "tcp ... if the transport protocol is HTTP. ... pipe if the transport is stdio"; unknown: not set. */
    static String networkTransport(Transport t) {
        return switch (t) {
            case STDIO -> "pipe";
            case SSE, STREAMABLE_HTTP -> "tcp";
            case UNKNOWN -> null;
        };
    }

    /** network.protocol.name "when applicable": HTTP for both HTTP transports, nothing for stdio. */
    static String networkProtocol(Transport t) {
        return t == Transport.SSE || t == Transport.STREAMABLE_HTTP ? "http" : null;
    }

    static Transport transport(Object sqlName) {
        for (Transport t : Transport.values()) {
            if (t.sqlName().equals(sqlName)) {
                return t;
            }
        }
        return Transport.UNKNOWN;
    }
}
