package io.mcphub.telemetry.model;

/** One row for one telemetry table; every row belongs to a tenant. */
public sealed interface TelemetryRecord
        permits TenantRecord, HubInstanceRecord, ServerRecord, ServerStatusRecord, ToolRecord, ResourceRecord,
                PromptRecord, ToolExecutionRecord, EventRecord, LogRecord, OAuthFlowRecord, ApiRequestRecord,
                MetricRecord {

    String tenantId();
}
