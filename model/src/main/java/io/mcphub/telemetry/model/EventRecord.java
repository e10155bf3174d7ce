package io.mcphub.telemetry.model;

import java.time.Instant;

/** Row of {@code events}: a typed event with a JSON payload (valid JSON, as written by {@code Json}). */
public record EventRecord(String tenantId, Instant occurredAt, String instanceId, String eventType, String serverName,
                          String payloadJson) implements TelemetryRecord {
    public EventRecord {
        Require.text(tenantId, "tenantId");
        Require.time(occurredAt, "occurredAt");
        Require.text(eventType, "eventType");
    }
}
