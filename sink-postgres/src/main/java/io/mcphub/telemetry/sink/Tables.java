package io.mcphub.telemetry.sink;

import static io.mcphub.telemetry.sink.TableSpec.bigint;
import static io.mcphub.telemetry.sink.TableSpec.bool;
import static io.mcphub.telemetry.sink.TableSpec.integer;
import static io.mcphub.telemetry.sink.TableSpec.json;
import static io.mcphub.telemetry.sink.TableSpec.named;
import static io.mcphub.telemetry.sink.TableSpec.nullableBigint;
import static io.mcphub.telemetry.sink.TableSpec.nullableInt;
import static io.mcphub.telemetry.sink.TableSpec.real;
import static io.mcphub.telemetry.sink.TableSpec.text;
import static io.mcphub.telemetry.sink.TableSpec.time;
import static io.mcphub.telemetry.sink.TableSpec.timeMicros;

import io.mcphub.telemetry.model.ApiRequestRecord;
import io.mcphub.telemetry.model.EventRecord;
import io.mcphub.telemetry.model.HubInstanceRecord;
import io.mcphub.telemetry.model.LogRecord;
import io.mcphub.telemetry.model.MetricRecord;
import io.mcphub.telemetry.model.OAuthFlowRecord;
import io.mcphub.telemetry.model.PromptRecord;
import io.mcphub.telemetry.model.ResourceRecord;
import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.ServerStatusRecord;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.TenantRecord;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.model.ToolRecord;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The table of every record type and its columns, in write order (registries before the rows that name them). */
public final class Tables {

    private static final List<TableSpec<?>> ALL = List.of(
            TableSpec.upsert(TenantRecord.class, "tenants",
                    text("tenant_id", TenantRecord::tenantId), text("display_name", TenantRecord::displayName)),
            TableSpec.upsert(HubInstanceRecord.class, "hub_instances",
                    text("tenant_id", HubInstanceRecord::tenantId), text("instance_id", HubInstanceRecord::instanceId),
                    text("hub_name", HubInstanceRecord::hubName), text("hub_version", HubInstanceRecord::hubVersion),
                    text("host", HubInstanceRecord::host), nullableInt("port", HubInstanceRecord::port),
                    nullableBigint("pid", HubInstanceRecord::pid), text("jvm_version", HubInstanceRecord::jvmVersion),
                    text("agent_version", HubInstanceRecord::agentVersion), time("started_at", HubInstanceRecord::startedAt),
                    time("last_seen_at", HubInstanceRecord::lastSeenAt), time("stopped_at", HubInstanceRecord::stoppedAt),
                    json("metadata", HubInstanceRecord::metadataJson)),
            TableSpec.upsert(ServerRecord.class, "mcp_servers",
                    text("tenant_id", ServerRecord::tenantId), text("server_name", ServerRecord::serverName),
                    text("instance_id", ServerRecord::instanceId), named("transport", ServerRecord::transport),
                    text("endpoint", ServerRecord::endpoint), named("status", ServerRecord::status),
                    text("server_version", ServerRecord::serverVersion), text("protocol_version", ServerRecord::protocolVersion),
                    json("capabilities", ServerRecord::capabilitiesJson), text("last_error", ServerRecord::lastError),
                    time("at", ServerRecord::at)),
            TableSpec.append(ServerStatusRecord.class, "server_status_history",
                    text("tenant_id", ServerStatusRecord::tenantId), time("occurred_at", ServerStatusRecord::occurredAt),
                    text("server_name", ServerStatusRecord::serverName), text("instance_id", ServerStatusRecord::instanceId),
                    named("status", ServerStatusRecord::status), text("detail", ServerStatusRecord::detail)),
            TableSpec.upsert(ToolRecord.class, "tools",
                    text("tenant_id", ToolRecord::tenantId), text("server_name", ToolRecord::serverName),
                    text("tool_name", ToolRecord::toolName), text("title", ToolRecord::title),
                    text("description", ToolRecord::description), json("input_schema", ToolRecord::inputSchemaJson),
                    time("seen_at", ToolRecord::seenAt), bool("removed", ToolRecord::removed)),
            TableSpec.upsert(ResourceRecord.class, "resources",
                    text("tenant_id", ResourceRecord::tenantId), text("server_name", ResourceRecord::serverName),
                    text("uri", ResourceRecord::uri), text("resource_name", ResourceRecord::name),
                    text("description", ResourceRecord::description), text("mime_type", ResourceRecord::mimeType),
                    time("seen_at", ResourceRecord::seenAt), bool("removed", ResourceRecord::removed)),
            TableSpec.upsert(PromptRecord.class, "prompts",
                    text("tenant_id", PromptRecord::tenantId), text("server_name", PromptRecord::serverName),
                    text("prompt_name", PromptRecord::promptName), text("description", PromptRecord::description),
                    json("arguments", PromptRecord::argumentsJson), time("seen_at", PromptRecord::seenAt),
                    bool("removed", PromptRecord::removed)),
            TableSpec.append(ToolExecutionRecord.class, "tool_executions",
                    text("tenant_id", ToolExecutionRecord::tenantId), text("instance_id", ToolExecutionRecord::instanceId),
                    text("server_name", ToolExecutionRecord::serverName), text("tool_name", ToolExecutionRecord::toolName),
                    timeMicros("started_at", ToolExecutionRecord::startedAtMicros),
                    bigint("duration_us", ToolExecutionRecord::durationMicros), named("outcome", ToolExecutionRecord::outcome),
                    text("error_class", ToolExecutionRecord::errorClass), text("error_message", ToolExecutionRecord::errorMessage),
                    nullableInt("argument_bytes", ToolExecutionRecord::argumentBytes),
                    nullableInt("result_bytes", ToolExecutionRecord::resultBytes),
                    text("session_id", ToolExecutionRecord::sessionId), text("request_id", ToolExecutionRecord::requestId),
                    text("arguments", ToolExecutionRecord::arguments), text("result", ToolExecutionRecord::result),
                    named("side", ToolExecutionRecord::side),
                    TableSpec.traceId("trace_id", ToolExecutionRecord::traceIdHigh, ToolExecutionRecord::traceIdLow),
                    TableSpec.spanId("span_id", ToolExecutionRecord::spanId),
                    TableSpec.spanId("parent_span_id", ToolExecutionRecord::parentSpanId)),
            TableSpec.append(EventRecord.class, "events",
                    text("tenant_id", EventRecord::tenantId), time("occurred_at", EventRecord::occurredAt),
                    text("instance_id", EventRecord::instanceId), text("event_type", EventRecord::eventType),
                    text("server_name", EventRecord::serverName), json("payload", EventRecord::payloadJson)),
            TableSpec.append(LogRecord.class, "logs",
                    text("tenant_id", LogRecord::tenantId), time("occurred_at", LogRecord::occurredAt),
                    text("instance_id", LogRecord::instanceId), text("server_name", LogRecord::serverName),
                    named("level", LogRecord::level), text("logger", LogRecord::logger), text("message", LogRecord::message),
                    json("context", LogRecord::contextJson)),
            TableSpec.append(OAuthFlowRecord.class, "oauth_flows",
                    text("tenant_id", OAuthFlowRecord::tenantId), time("occurred_at", OAuthFlowRecord::occurredAt),
                    text("flow_id", OAuthFlowRecord::flowId), text("instance_id", OAuthFlowRecord::instanceId),
                    text("server_name", OAuthFlowRecord::serverName), text("grant_type", OAuthFlowRecord::grantType),
                    named("phase", OAuthFlowRecord::phase), named("outcome", OAuthFlowRecord::outcome),
                    nullableBigint("duration_us", OAuthFlowRecord::durationMicros), text("error", OAuthFlowRecord::error)),
            TableSpec.append(ApiRequestRecord.class, "api_requests",
                    text("tenant_id", ApiRequestRecord::tenantId), time("occurred_at", ApiRequestRecord::occurredAt),
                    text("instance_id", ApiRequestRecord::instanceId), text("method", ApiRequestRecord::method),
                    text("route", ApiRequestRecord::route), integer("status", ApiRequestRecord::status),
                    bigint("latency_us", ApiRequestRecord::latencyMicros),
                    nullableBigint("request_bytes", ApiRequestRecord::requestBytes),
                    nullableBigint("response_bytes", ApiRequestRecord::responseBytes)),
            TableSpec.append(MetricRecord.class, "infra_metrics",
                    text("tenant_id", MetricRecord::tenantId), time("sampled_at", MetricRecord::sampledAt),
                    text("instance_id", MetricRecord::instanceId), named("scope", MetricRecord::scope),
                    text("metric", MetricRecord::metric), real("value", MetricRecord::value)));

    private static final Map<Class<?>, TableSpec<?>> BY_TYPE = new IdentityHashMap<>();
    private static final Map<Class<?>, Integer> ORDER = new IdentityHashMap<>();

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
    /** Whether the record's table is a registry table, upserted (the last report wins). */
    static boolean upserted(TelemetryRecord record) {
        return of(record).upsert();
    }

    static int index(TelemetryRecord record) {
        return ORDER.get(record.getClass());
    }
}
