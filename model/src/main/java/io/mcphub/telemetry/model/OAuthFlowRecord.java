package io.mcphub.telemetry.model;

import io.mcphub.telemetry.text.Names;
import java.time.Instant;

/** Row of {@code oauth_flows}: one step of an OAuth flow. Carries no token, code or secret by design. */
public record OAuthFlowRecord(String tenantId, Instant occurredAt, String flowId, String instanceId, String serverName,
                              String grantType, OAuthPhase phase, OAuthOutcome outcome, Long durationMicros,
                              String error) implements TelemetryRecord {
    public OAuthFlowRecord {
        serverName = Names.cap(serverName);
        instanceId = Names.cap(instanceId);
        Require.text(tenantId, "tenantId");
        Require.time(occurredAt, "occurredAt");
        flowId = Require.name(flowId, "flowId");
        grantType = Require.name(grantType, "grantType");
        Require.present(phase, "phase");
        Require.present(outcome, "outcome");
        if (durationMicros != null) {
            Require.nonNegative(durationMicros, "durationMicros");
        }
    }
}
