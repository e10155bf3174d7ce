package io.mcphub.telemetry.agent.mcpserver;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.ToolExecution;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.record.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the MCP server advice calls. SDK objects arrive as {@code Object} and are read by reflection, so a
 * different SDK shape records nothing rather than breaking the hub. Tool calls are timed by message
 * correlation, not by method duration (the SDK's methods return lazy Monos): the clock starts when the
 * session receives the tools/call request and stops when the JSON-RPC response with the same id is handed
 * to the same transport.
 */
public final class McpServerHooks {

    static final String TOOLS_CALL = "tools/call";
    private static final String JSONRPC_REQUEST = "JSONRPCRequest";
    private static final String JSONRPC_RESPONSE = "JSONRPCResponse";

    /**
     * The exception a tools/call handler failed with, set where the SDK maps it to a JSON-RPC error and read
     * when that error response is sent, which Reactor does on the same thread right after.
     */
    private static final ThreadLocal<Object[]> HANDLER_ERROR = new ThreadLocal<>();

    private McpServerHooks() {
    }

    /** McpAsyncServer constructor exit. */
    public static void serverCreated(Object asyncServer) {
        try {
            HubServerNames.serverCreated(asyncServer);
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.created", t);
        }
    }

    /** McpAsyncServer.prepareRequestHandlers exit. */
    public static void handlersPrepared(Object asyncServer, Object requestHandlers) {
        try {
            HubServerNames.handlersPrepared(asyncServer, requestHandlers);
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.handlers", t);
        }
    }

    /** McpStreamableServerSession.Factory.startSession(InitializeRequest) exit: a streamable HTTP session. */
    public static void streamableSessionStarted(Object initializeRequest, Object sessionInit) {
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null) {
                return;
            }
            Object session = Reflect.call(sessionInit, "session");
            Object clientInfo = Reflect.call(initializeRequest, "clientInfo");
            ClientSessions.opened(t, new ClientSessions.Opened(Reflect.callString(session, "getId"),
                    "streamable_http", Reflect.callString(clientInfo, "name"), Reflect.callString(clientInfo, "version"),
                    Reflect.callString(initializeRequest, "protocolVersion"), System.nanoTime()));
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.session-start", t);
        }
    }

    /** McpServerSession.handle(JSONRPCMessage) enter: SSE and stdio sessions. */
    public static void sessionMessage(Object session, Object message) {
        try {
            if (message == null || !message.getClass().getName().endsWith(JSONRPC_REQUEST)) {
                return;
            }
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null) {
                return;
            }
            String method = Reflect.callString(message, "method");
            if ("initialize".equals(method)) {
                Object params = Reflect.call(message, "params");
                Object clientInfo = member(params, "clientInfo");
                ClientSessions.opened(t, new ClientSessions.Opened(Reflect.callString(session, "getId"),
                        transportKind(Reflect.field(session, "transport")), text(member(clientInfo, "name")),
                        text(member(clientInfo, "version")), text(member(params, "protocolVersion")), System.nanoTime()));
            } else if (TOOLS_CALL.equals(method)) {
                startCall(t, session, Reflect.field(session, "transport"), message);
            }
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.session-message", t);
        }
    }

    /** McpStreamableServerSession.McpStreamableServerSessionStream.handle(JSONRPCRequest) enter. */
    public static void streamRequest(Object stream, Object request) {
        try {
            if (request == null || !TOOLS_CALL.equals(Reflect.callString(request, "method"))) {
                return;
            }
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null) {
                return;
            }
            startCall(t, Reflect.field(stream, "this$0"), Reflect.field(stream, "connection"), request);
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.stream-request", t);
        }
    }

    /** Where the SDK turns a request's failure into a JSON-RPC error (methods taking the request and the error). */
    public static void handlerFailed(Object request, Throwable error) {
        try {
            if (error != null && TOOLS_CALL.equals(Reflect.callString(request, "method"))) {
                HANDLER_ERROR.set(new Object[] { String.valueOf(Reflect.call(request, "id")), error });
            }
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.handler-error", t);
        }
    }

    /** McpServerTransport implementations' sendMessage(JSONRPCMessage[, ...]) enter. */
    public static void messageSent(Object transport, Object message) {
        if (ServedCalls.size() == 0 || message == null) {
            return;
        }
        try {
            if (!message.getClass().getName().endsWith(JSONRPC_RESPONSE)) {
                return;
            }
            ServedCalls.Pending call = ServedCalls.finish(transport, String.valueOf(Reflect.call(message, "id")));
            if (call == null) {
                return;
            }
            McpHubTelemetry t = AgentTelemetry.get();
            if (t != null) {
                t.logToolExecution(execution(t, call, message));
            }
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.response", t);
        }
    }

    /** close(), closeGracefully() or delete() of a server session. */
    public static void sessionClosing(Object session, String how) {
        try {
            String id = Reflect.callString(session, "getId");
            if (!ClientSessions.isOpen(id)) {
                return;
            }
            McpHubTelemetry t = AgentTelemetry.get();
            if (t != null) {
                ClientSessions.closed(t, id, "delete".equals(how) ? "client_delete" : how);
            }
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.session-close", t);
        }
    }

    private static void startCall(McpHubTelemetry t, Object session, Object transport, Object request) {
        if (transport == null) {
            return;
        }
        Object params = Reflect.call(request, "params");
        String tool = text(member(params, "name"));
        ServedCalls.start(transport, new ServedCalls.Pending(HubServerNames.forSession(session, t),
                tool == null ? "(unknown)" : tool, Reflect.callString(session, "getId"),
                String.valueOf(Reflect.call(request, "id")), Instant.now(), System.nanoTime(),
                t.config().capturePayloads() ? member(params, "arguments") : null));
    }

    private static ToolExecution execution(McpHubTelemetry t, ServedCalls.Pending call, Object response) {
        Duration duration = Duration.ofNanos(Math.max(0, System.nanoTime() - call.startNanos()));
        Object error = Reflect.call(response, "error");
        Object result = Reflect.call(response, "result");
        ToolExecution e;
        if (error != null) {
            Throwable thrown = takeHandlerError(call.requestId());
            Object code = Reflect.call(error, "code");
            String message = Reflect.callString(error, "message");
            e = ToolExecution.failure(call.server(), call.tool(), call.startedAt(), duration, errorOutcome(code),
                    thrown != null ? thrown.getClass().getName() : "JSONRPCError(" + code + ")",
                    thrown != null && thrown.getMessage() != null ? thrown.getMessage() : message);
        } else if (Boolean.TRUE.equals(member(result, "isError"))) {
            e = ToolExecution.failure(call.server(), call.tool(), call.startedAt(), duration, Outcome.TOOL_ERROR,
                    null, firstText(result));
        } else {
            e = ToolExecution.success(call.server(), call.tool(), call.startedAt(), duration);
        }
        e = e.withIds(call.sessionId(), call.requestId()).served();
        if (t.config().capturePayloads()) {
            e = e.withPayloads(call.arguments(), error != null ? error : result);
        }
        return e;
    }

    /**
     * Standard JSON-RPC request errors (parse, invalid request, method not found, invalid params, which the
     * SDK also uses for an unknown tool) are protocol errors; internal and application codes mean the
     * handler failed.
     */
    static Outcome errorOutcome(Object code) {
        if (code instanceof Number n) {
            int c = n.intValue();
            if (c == -32700 || c == -32600 || c == -32601 || c == -32602) {
                return Outcome.PROTOCOL_ERROR;
            }
        }
        return Outcome.EXCEPTION;
    }

    private static Throwable takeHandlerError(String requestId) {
        Object[] last = HANDLER_ERROR.get();
        if (last == null) {
            return null;
        }
        HANDLER_ERROR.remove();
        return requestId.equals(last[0]) ? (Throwable) last[1] : null;
    }

    private static String firstText(Object result) {
        Object content = member(result, "content");
        if (content instanceof List<?> list) {
            for (Object c : list) {
                Object text = member(c, "text");
                if (text != null) {
                    return text.toString();
                }
            }
        }
        return null;
    }

    static String transportKind(Object transport) {
        if (transport == null) {
            return "unknown";
        }
        String name = transport.getClass().getName();
        if (name.contains("Stdio")) {
            return "stdio";
        }
        if (name.contains("Streamable")) {
            return "streamable_http";
        }
        if (name.contains("Sse")) {
            return "sse";
        }
        return "unknown";
    }

    /** A JSON-ish member: a map entry when the SDK left the params untyped, a record accessor otherwise. */
    private static Object member(Object obj, String key) {
        if (obj == null) {
            return null;
        }
        if (obj instanceof Map<?, ?> map) {
            return map.get(key);
        }
        return Reflect.call(obj, key);
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
