package io.mcphub.telemetry.model;

import java.time.Instant;

/** Row of {@code prompts}: a prompt seen in a server's prompts/list, or noticed as removed. */
public record PromptRecord(String tenantId, String serverName, String promptName, String description,
                           String argumentsJson, Instant seenAt, boolean removed) implements TelemetryRecord {
    public PromptRecord {
        Require.text(tenantId, "tenantId");
        serverName = Require.name(serverName, "serverName");
        promptName = Require.name(promptName, "promptName");
        Require.time(seenAt, "seenAt");
    }
}
