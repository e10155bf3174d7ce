package io.mcphub.telemetry.model;

import io.mcphub.telemetry.text.Names;
import java.time.Instant;

/** Row of {@code events}: a typed event with a JSON payload (valid JSON, as written by {@code Json}). */
public record EventRecord(String tenantId, Instant occurredAt, String instanceId, String eventType, String serverName,
                          String payloadJson) implements TelemetryRecord {
    public EventRecord {
        serverName = Names.cap(serverName);
        instanceId = Names.cap(instanceId);
        Require.text(tenantId, "tenantId");
        Require.time(occurredAt, "occurredAt");
        eventType = Require.name(eventType, "eventType");
    }
}
