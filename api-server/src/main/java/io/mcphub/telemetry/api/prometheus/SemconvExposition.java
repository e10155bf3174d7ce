package io.mcphub.telemetry.api.prometheus;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the convention's histograms in Prometheus form. Attributes become labels (dots to underscores);
 * {@code tenant} and {@code server} are ours, kept so that a tenant's and a server's series can be
 * selected as with our own metrics (the convention has no server-name attribute). A downstream server's
 * transport and protocol version are read from its row at scrape time; served calls have neither (the
 * execution does not carry its session), so those labels are left out there.
 */
final class SemconvExposition {
    private SemconvExposition() {
    }

    /** {@code servers}: rows of mcp_servers with server_name, transport and protocol_version. */
    static void write(PromText out, String tenant, TenantSeries t, List<Map<String, Object>> servers) {
        for (ExecutionSide side : ExecutionSide.values()) {
            String family = McpSemconv.operationMetric(side);
            out.family(family, "histogram", side == ExecutionSide.DOWNSTREAM
                    ? "Duration of MCP requests the hub sent, until the response was received (OpenTelemetry mcp.client.operation.duration)."
                    : "Duration of MCP requests the hub served, until the result was sent (OpenTelemetry mcp.server.operation.duration).");
            t.operations.series.forEach((k, s) -> {
                if (k.side() == side) {
                    s.write(out, family, labels(tenant, k, side == ExecutionSide.DOWNSTREAM ? server(servers, k.server()) : null));
                }
            });
        }
        out.family(McpSemconv.SERVER_SESSION_DURATION, "histogram",
                "Duration of MCP sessions clients held on the hub's MCP server (OpenTelemetry mcp.server.session.duration).");
        t.sessions.series.forEach((k, s) -> {
            List<String> l = new ArrayList<>(List.of("tenant", tenant));
            transportLabels(l, k.transport(), k.protocolVersion());
            s.write(out, McpSemconv.SERVER_SESSION_DURATION, l.toArray(String[]::new));
        });
        out.family("mcp_telemetry_api_semconv_series_dropped_total", "counter",
                        "Tool calls counted in the server=\"_overflow\" series of the OpenTelemetry histograms because the per-tenant series limit was reached.")
                .sample("mcp_telemetry_api_semconv_series_dropped_total", t.operations.droppedSeries.sum(), "tenant", tenant);
    }

    private static String[] labels(String tenant, OperationDurations.Key k, Map<String, Object> server) {
        List<String> l = new ArrayList<>(List.of("tenant", tenant, "server", k.server(),
                McpSemconv.Attribute.MCP_METHOD_NAME.label, McpSemconv.TOOLS_CALL,
                McpSemconv.Attribute.GEN_AI_OPERATION_NAME.label, McpSemconv.EXECUTE_TOOL,
                McpSemconv.Attribute.GEN_AI_TOOL_NAME.label, k.tool()));
        if (k.errorType() != null) {
            l.add(McpSemconv.Attribute.ERROR_TYPE.label);
            l.add(k.errorType());
        }
        if (server != null) {
            transportLabels(l, McpSemconv.transport(server.get("transport")), (String) server.get("protocol_version"));
        }
        return l.toArray(String[]::new);
    }

    private static void transportLabels(List<String> l, Transport transport, String protocolVersion) {
        if (protocolVersion != null && !protocolVersion.isEmpty()) {
            l.add(McpSemconv.Attribute.MCP_PROTOCOL_VERSION.label);
            l.add(protocolVersion);
        }
        String network = McpSemconv.networkTransport(transport);
        if (network != null) {
            l.add(McpSemconv.Attribute.NETWORK_TRANSPORT.label);
            l.add(network);
        }
        String protocol = McpSemconv.networkProtocol(transport);
        if (protocol != null) {
            l.add(McpSemconv.Attribute.NETWORK_PROTOCOL_NAME.label);
            l.add(protocol);
        }
    }

    private static Map<String, Object> server(List<Map<String, Object>> servers, String name) {
        for (Map<String, Object> s : servers) {
            if (name.equals(s.get("server_name"))) {
                return s;
            }
        }
        return null;
    }
}
