package io.mcphub.telemetry.model;

import io.mcphub.telemetry.text.Names;
import java.time.Instant;

/** Row of {@code logs}: a structured log line, from the hub or from a server's notifications/message. */
public record LogRecord(String tenantId, Instant occurredAt, String instanceId, String serverName, LogLevel level,
                        String logger, String message, String contextJson) implements TelemetryRecord {
    public LogRecord {
        serverName = Names.cap(serverName);
        logger = Names.cap(logger);
        instanceId = Names.cap(instanceId);
        Require.text(tenantId, "tenantId");
        Require.time(occurredAt, "occurredAt");
        Require.present(level, "level");
        Require.present(message, "message");
    }
}
