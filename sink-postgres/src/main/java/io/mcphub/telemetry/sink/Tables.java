package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.record.ApiRequestRecord;
import io.mcphub.telemetry.record.EventRecord;
import io.mcphub.telemetry.record.HubInstanceRecord;
import io.mcphub.telemetry.record.LogRecord;
import io.mcphub.telemetry.record.MetricRecord;
import io.mcphub.telemetry.record.OAuthFlowRecord;
import io.mcphub.telemetry.record.PromptRecord;
import io.mcphub.telemetry.record.ResourceRecord;
import io.mcphub.telemetry.record.ServerRecord;
import io.mcphub.telemetry.record.ServerStatusRecord;
import io.mcphub.telemetry.record.TelemetryRecord;
import io.mcphub.telemetry.record.TenantRecord;
import io.mcphub.telemetry.record.ToolExecutionRecord;
import io.mcphub.telemetry.record.ToolRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table of every record type, in write order (registries before the rows that name them). */
public final class Tables {

    private static final List<TableSpec<?>> ALL = List.of(
            new TableSpec<>(TenantRecord.class, "tenants", (r, o) -> o.text(r.tenantId()).text(r.displayName())),
            new TableSpec<>(HubInstanceRecord.class, "hub_instances", (r, o) -> o.text(r.tenantId())
                    .text(r.instanceId()).text(r.hubName()).text(r.hubVersion()).text(r.host()).number(r.port())
                    .number(r.pid()).text(r.jvmVersion()).text(r.agentVersion()).timestamp(r.startedAt())
                    .timestamp(r.lastSeenAt()).timestamp(r.stoppedAt()).text(r.metadataJson())),
            new TableSpec<>(ServerRecord.class, "mcp_servers", (r, o) -> o.text(r.tenantId()).text(r.serverName())
                    .text(r.instanceId()).text(r.transport()).text(r.endpoint()).text(r.status())
                    .text(r.serverVersion()).text(r.protocolVersion()).text(r.capabilitiesJson())
                    .text(r.lastError()).timestamp(r.at())),
            new TableSpec<>(ServerStatusRecord.class, "server_status_history", (r, o) -> o.text(r.tenantId())
                    .timestamp(r.occurredAt()).text(r.serverName()).text(r.instanceId()).text(r.status())
                    .text(r.detail())),
            new TableSpec<>(ToolRecord.class, "tools", (r, o) -> o.text(r.tenantId()).text(r.serverName())
                    .text(r.toolName()).text(r.title()).text(r.description()).text(r.inputSchemaJson())
                    .timestamp(r.seenAt()).bool(r.removed())),
            new TableSpec<>(ResourceRecord.class, "resources", (r, o) -> o.text(r.tenantId()).text(r.serverName())
                    .text(r.uri()).text(r.name()).text(r.description()).text(r.mimeType()).timestamp(r.seenAt())
                    .bool(r.removed())),
            new TableSpec<>(PromptRecord.class, "prompts", (r, o) -> o.text(r.tenantId()).text(r.serverName())
                    .text(r.promptName()).text(r.description()).text(r.argumentsJson()).timestamp(r.seenAt())
                    .bool(r.removed())),
            new TableSpec<>(ToolExecutionRecord.class, "tool_executions", (r, o) -> o.text(r.tenantId())
                    .text(r.instanceId()).text(r.serverName()).text(r.toolName()).timestamp(r.startedAt())
                    .number(r.durationMicros()).text(r.outcome()).text(r.errorClass()).text(r.errorMessage())
                    .number(r.argumentBytes()).number(r.resultBytes()).text(r.sessionId()).text(r.requestId())
                    .text(r.arguments()).text(r.result()).text(r.side())),
            new TableSpec<>(EventRecord.class, "events", (r, o) -> o.text(r.tenantId()).timestamp(r.occurredAt())
                    .text(r.instanceId()).text(r.eventType()).text(r.serverName()).text(r.payloadJson())),
            new TableSpec<>(LogRecord.class, "logs", (r, o) -> o.text(r.tenantId()).timestamp(r.occurredAt())
                    .text(r.instanceId()).text(r.serverName()).text(r.level()).text(r.logger()).text(r.message())
                    .text(r.contextJson())),
            new TableSpec<>(OAuthFlowRecord.class, "oauth_flows", (r, o) -> o.text(r.tenantId())
                    .timestamp(r.occurredAt()).text(r.flowId()).text(r.instanceId()).text(r.serverName())
                    .text(r.grantType()).text(r.phase()).text(r.outcome()).number(r.durationMicros()).text(r.error())),
            new TableSpec<>(ApiRequestRecord.class, "api_requests", (r, o) -> o.text(r.tenantId())
                    .timestamp(r.occurredAt()).text(r.instanceId()).text(r.method()).text(r.route())
                    .number(r.status()).number(r.latencyMicros()).number(r.requestBytes()).number(r.responseBytes())),
            new TableSpec<>(MetricRecord.class, "infra_metrics", (r, o) -> o.text(r.tenantId())
                    .timestamp(r.sampledAt()).text(r.instanceId()).text(r.scope()).text(r.metric()).number(r.value())));

    private static final Map<Class<?>, TableSpec<?>> BY_TYPE = new LinkedHashMap<>();
    private static final Map<Class<?>, Integer> ORDER = new LinkedHashMap<>();

    static {
        for (TableSpec<?> spec : ALL) {
            ORDER.put(spec.type(), BY_TYPE.size());
            BY_TYPE.put(spec.type(), spec);
        }
    }

    private Tables() {
    }

    public static List<TableSpec<?>> all() {
        return ALL;
    }

    public static TableSpec<?> of(TelemetryRecord record) {
        return BY_TYPE.get(record.getClass());
    }

    /** Position of the record's table in write order, for grouping a batch per table. */
    static int index(TelemetryRecord record) {
        return ORDER.get(record.getClass());
    }
}
