package io.mcphub.telemetry.model;

import io.mcphub.telemetry.text.Names;
import java.time.Instant;

/** Row of {@code server_status_history}: one status change of an MCP server. */
public record ServerStatusRecord(String tenantId, Instant occurredAt, String serverName, String instanceId,
                                 ServerStatus status, String detail) implements TelemetryRecord {
    public ServerStatusRecord {
        instanceId = Names.cap(instanceId);
        Require.text(tenantId, "tenantId");
        Require.time(occurredAt, "occurredAt");
        serverName = Require.name(serverName, "serverName");
        Require.present(status, "status");
    }
}
