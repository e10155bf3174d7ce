package io.mcphub.telemetry.model;

import java.time.Instant;

/** Row of {@code hub_instances}: one running hub process; upserted on start, heartbeat and stop. */
public record HubInstanceRecord(String tenantId, String instanceId, String hubName, String hubVersion, String host,
                                Integer port, Long pid, String jvmVersion, String agentVersion, Instant startedAt,
                                Instant lastSeenAt, Instant stoppedAt, String metadataJson) implements TelemetryRecord {
    public HubInstanceRecord {
        Require.text(tenantId, "tenantId");
        instanceId = Require.name(instanceId, "instanceId");
        hubName = Require.name(hubName, "hubName");
        Require.time(startedAt, "startedAt");
        Require.time(lastSeenAt, "lastSeenAt");
        Require.optionalTime(stoppedAt, "stoppedAt");
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }
}
