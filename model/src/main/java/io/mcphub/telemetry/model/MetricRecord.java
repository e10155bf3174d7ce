package io.mcphub.telemetry.model;

import io.mcphub.telemetry.text.Names;
import java.time.Instant;

/** Row of {@code infra_metrics}: one sampled value. */
public record MetricRecord(String tenantId, Instant sampledAt, String instanceId, MetricScope scope, String metric,
                           double value) implements TelemetryRecord {
    public MetricRecord {
        instanceId = Names.cap(instanceId);
        Require.text(tenantId, "tenantId");
        Require.time(sampledAt, "sampledAt");
        Require.present(scope, "scope");
        metric = Require.name(metric, "metric");
    }
}
