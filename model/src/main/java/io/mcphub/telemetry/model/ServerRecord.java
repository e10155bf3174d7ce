package io.mcphub.telemetry.model;

import io.mcphub.telemetry.text.Names;
import java.time.Instant;

/** Row of {@code mcp_servers}: the latest state of one MCP server the hub connects to. */
public record ServerRecord(String tenantId, String serverName, String instanceId, Transport transport, String endpoint,
                           ServerStatus status, String serverVersion, String protocolVersion, String capabilitiesJson,
                           String lastError, Instant at) implements TelemetryRecord {
    public ServerRecord {
        instanceId = Names.cap(instanceId);
        Require.text(tenantId, "tenantId");
        serverName = Require.name(serverName, "serverName");
        Require.present(transport, "transport");
        Require.present(status, "status");
        Require.time(at, "at");
    }
}
