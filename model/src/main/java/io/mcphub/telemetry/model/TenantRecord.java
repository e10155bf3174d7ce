package io.mcphub.telemetry.model;

/** Row of {@code tenants}. */
public record TenantRecord(String tenantId, String displayName) implements TelemetryRecord {
    public TenantRecord {
        Require.text(tenantId, "tenantId");
    }
}
