package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.ARGUMENTS;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.CLIENT_INFO;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.CURSOR;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.HTTP_ACTIVE_SESSION;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.METHOD;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.NAME;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.PARAMS;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.REASON;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.REFERENCE_GET;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.REQUEST_ID;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.SESSION_ID;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.TITLE;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.JsonRpc;
import io.mcphub.telemetry.agent.instrumentation.common.McpSdk;
import io.mcphub.telemetry.json.JsonSize;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.Transport;
import java.util.Set;

/** Messages the hub sends to a server ({@code McpClientTransport.sendMessage}): requests start calls. */
public final class McpClientRequests {

    static final String INITIALIZE = "initialize";
    static final String TOOLS_CALL = "tools/call";
    private static final Set<String> TRACKED = Set.of(INITIALIZE, TOOLS_CALL, "tools/list", "resources/list",
            "prompts/list");

    private McpClientRequests() {
    }

    /** The message to send: {@code message} itself, or a copy of a request carrying its trace context. */
    public static Object onSend(Object transport, Object message) {
        long now = System.nanoTime();
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null) {
                return message;
            }
            JsonRpc kind = JsonRpc.of(message);
            if (kind == JsonRpc.REQUEST) {
                return request(t, transport, message, now);
            } else if (kind == JsonRpc.NOTIFICATION && "notifications/cancelled".equals(METHOD.text(message))) {
                Object params = PARAMS.get(message);
                ClientCall call = McpClientSingletons.CALLS.finish(REQUEST_ID.text(params));
                if (call != null && call.isToolCall()) {
                    String reason = REASON.text(params);
                    McpClientResponses.record(t, call, now, Outcome.CANCELLED, null,
                            "cancelled by the client" + (reason == null ? "" : ": " + reason), -1);
                }
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-send", e);
        }
        return message;
    }

    private static Object request(McpHubTelemetry t, Object transport, Object message, long now) {
        String method = METHOD.text(message);
        String id = McpSdk.id(message);
        if (method == null || id == null) {
            return message;
        }
        Object params = PARAMS.get(message);
        ClientSpan span = ClientSpan.start(transport, message, params);
        if (!TRACKED.contains(method)) {
            return span.message();
        }
        ServerConnection c = McpClientSingletons.CONNECTIONS.of(transport);
        String tool = null;
        int argumentBytes = -1;
        Object arguments = null;
        String cursor = null;
        String sessionId = null;
        if (method.equals(TOOLS_CALL)) {
            sessionId = sessionId(c, transport);
            tool = NAME.text(params);
            Object a = ARGUMENTS.get(params);
            argumentBytes = bytes(a);
            arguments = t.config().capturePayloads() ? a : null;
        } else if (!method.equals(INITIALIZE)) {
            cursor = CURSOR.text(params);
        }
        ClientCall call = new ClientCall(id, c, method, Times.nowMicros(), now, tool, argumentBytes, arguments, cursor,
                sessionId);
        call.traced(span.traceHigh(), span.traceLow(), span.spanId(), span.parentSpanId());
        McpClientSingletons.track(call);
        if (method.equals(INITIALIZE)) {
            initializing(c, transport, params); // after track: a process found dead fails this very call
        }
        return span.message();
    }

    /** Names the server now when the hub's own name for it is known, and watches a stdio server's start. */
    private static void initializing(ServerConnection c, Object transport, Object params) {
        Object clientInfo = CLIENT_INFO.get(params);
        String name = McpClientSingletons.NAMING.beforeInitialize(c.endpoint, AgentTelemetry.config().serverNames(),
                NAME.text(clientInfo), TITLE.text(clientInfo));
        if (name != null) {
            c.named(name);
        }
        McpClientLifecycle.watchProcessOnceStarted(c, transport);
    }

    /** The MCP session id a streamable HTTP transport sends (Mcp-Session-Id), when it has one. */
    private static String sessionId(ServerConnection c, Object transport) {
        if (c.endpoint.transport() != Transport.STREAMABLE_HTTP) {
            return null;
        }
        return SESSION_ID.text(REFERENCE_GET.get(HTTP_ACTIVE_SESSION.get(transport)));
    }

    /** UTF-8 bytes of a value's JSON; -1 when absent. */
    static int bytes(Object value) {
        long n = JsonSize.utf8Bytes(value);
        return n < 0 ? -1 : (int) Math.min(n, Integer.MAX_VALUE);
    }
}
