package io.mcphub.telemetry.model;

import java.time.Instant;

/** Row of {@code infra_metrics}: one sampled value. */
public record MetricRecord(String tenantId, Instant sampledAt, String instanceId, MetricScope scope, String metric,
                           double value) implements TelemetryRecord {
    public MetricRecord {
        Require.text(tenantId, "tenantId");
        Require.time(sampledAt, "sampledAt");
        Require.present(scope, "scope");
        Require.text(metric, "metric");
    }
}
