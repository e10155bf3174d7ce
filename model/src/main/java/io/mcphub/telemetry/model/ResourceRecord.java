package io.mcphub.telemetry.model;

import java.time.Instant;

/** Row of {@code resources}: a resource seen in a server's resources/list, or noticed as removed. */
public record ResourceRecord(String tenantId, String serverName, String uri, String name, String description,
                             String mimeType, Instant seenAt, boolean removed) implements TelemetryRecord {
    public ResourceRecord {
        Require.text(tenantId, "tenantId");
        serverName = Require.name(serverName, "serverName");
        uri = Require.name(uri, "uri");
        Require.time(seenAt, "seenAt");
    }
}
