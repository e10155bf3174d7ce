package io.mcphub.telemetry.model;

import java.time.Instant;

/** Row of {@code tools}: a tool seen in a server's tools/list, or noticed as removed from it. */
public record ToolRecord(String tenantId, String serverName, String toolName, String title, String description,
                         String inputSchemaJson, Instant seenAt, boolean removed) implements TelemetryRecord {
    public ToolRecord {
        Require.text(tenantId, "tenantId");
        serverName = Require.name(serverName, "serverName");
        toolName = Require.name(toolName, "toolName");
        Require.time(seenAt, "seenAt");
    }
}
