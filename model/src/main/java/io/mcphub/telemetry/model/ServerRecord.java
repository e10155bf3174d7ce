package io.mcphub.telemetry.model;

import java.time.Instant;

/** Row of {@code mcp_servers}: the latest state of one MCP server the hub connects to. */
public record ServerRecord(String tenantId, String serverName, String instanceId, Transport transport, String endpoint,
                           ServerStatus status, String serverVersion, String protocolVersion, String capabilitiesJson,
                           String lastError, Instant at) implements TelemetryRecord {
    public ServerRecord {
        Require.text(tenantId, "tenantId");
        Require.text(serverName, "serverName");
        Require.present(transport, "transport");
        Require.present(status, "status");
        Require.time(at, "at");
    }
}
