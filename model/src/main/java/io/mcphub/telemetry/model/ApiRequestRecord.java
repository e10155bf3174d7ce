package io.mcphub.telemetry.model;

import io.mcphub.telemetry.text.Names;
import java.time.Instant;

/** Row of {@code api_requests}: one HTTP request served by the hub, by route template rather than raw path. */
public record ApiRequestRecord(String tenantId, Instant occurredAt, String instanceId, String method, String route,
                               int status, long latencyMicros, Long requestBytes, Long responseBytes)
        implements TelemetryRecord {
    public ApiRequestRecord {
        instanceId = Names.cap(instanceId);
        Require.text(tenantId, "tenantId");
        Require.time(occurredAt, "occurredAt");
        method = Require.name(method, "method");
        route = Require.name(route, "route");
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be an HTTP status 100..999, got " + status);
        }
        Require.nonNegative(latencyMicros, "latencyMicros");
    }
}
