package io.mcphub.telemetry.agent.instrumentation.mcpserver;

import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.ARGUMENTS;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.CLIENT_INFO;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.CODE;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.ERROR;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.IS_ERROR;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.MESSAGE;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.METHOD;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.NAME;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.PARAMS;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.PROTOCOL_VERSION;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.RESULT;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.SERVER_SESSION_ID;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.SERVER_SESSION_TRANSPORT;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.SESSION_INIT_SESSION;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.STREAM_CONNECTION;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.STREAM_SESSION;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.VERSION;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.InFlight;
import io.mcphub.telemetry.agent.instrumentation.common.JsonRpc;
import io.mcphub.telemetry.agent.instrumentation.common.McpSdk;
import io.mcphub.telemetry.agent.instrumentation.common.OtelCurrentSpan;
import io.mcphub.telemetry.agent.instrumentation.common.TraceMeta;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.TraceIds;
import io.mcphub.telemetry.model.Transport;

/**
 * What the MCP server advice calls. SDK objects arrive as {@code Object} and are read through
 * {@link McpSdk}, so a different SDK shape records nothing rather than breaking the hub. Tool calls are
 * timed by message correlation, not by method duration (the SDK's methods return lazy Monos): the
 * clock starts when the session receives the tools/call request and stops when the JSON-RPC response
 * with the same id is handed to the same transport.
 */
public final class McpServerHooks {

    static final String TOOLS_CALL = "tools/call";
    static final int MAX_IN_FLIGHT = 4_096;
    static final InFlight<ServedCall.Key, ServedCall> CALLS = new InFlight<>("served MCP tool calls",
            "telemetry.mcp_server.calls_given_up", MAX_IN_FLIGHT, c -> c.startNanos);

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
            Object session = SESSION_INIT_SESSION.get(sessionInit);
            Object clientInfo = CLIENT_INFO.get(initializeRequest);
            ClientSessions.opened(t, new ClientSessions.Opened(SERVER_SESSION_ID.text(session),
                    Transport.STREAMABLE_HTTP, NAME.text(clientInfo), VERSION.text(clientInfo),
                    PROTOCOL_VERSION.text(initializeRequest), System.nanoTime()));
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.session-start", t);
        }
    }

    /** McpServerSession.handle(JSONRPCMessage) enter: SSE and stdio sessions. */
    public static void sessionMessage(Object session, Object message) {
        try {
            if (JsonRpc.of(message) != JsonRpc.REQUEST) {
                return;
            }
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null) {
                return;
            }
            String method = METHOD.text(message);
            if ("initialize".equals(method)) {
                Object params = PARAMS.get(message);
                Object clientInfo = CLIENT_INFO.get(params);
                ClientSessions.opened(t, new ClientSessions.Opened(SERVER_SESSION_ID.text(session),
                        transportOf(SERVER_SESSION_TRANSPORT.get(session)), NAME.text(clientInfo),
                        VERSION.text(clientInfo), PROTOCOL_VERSION.text(params), System.nanoTime()));
            } else if (TOOLS_CALL.equals(method)) {
                startCall(t, session, SERVER_SESSION_TRANSPORT.get(session), message);
            }
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.session-message", t);
        }
    }

    /** McpStreamableServerSession.McpStreamableServerSessionStream.handle(JSONRPCRequest) enter. */
    public static void streamRequest(Object stream, Object request) {
        try {
            if (request == null || !TOOLS_CALL.equals(METHOD.text(request))) {
                return;
            }
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null) {
                return;
            }
            startCall(t, STREAM_SESSION.get(stream), STREAM_CONNECTION.get(stream), request);
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.stream-request", t);
        }
    }

    /** Where the SDK turns a request's failure into a JSON-RPC error (methods taking the request and the error). */
    public static void handlerFailed(Object request, Throwable error) {
        try {
            if (error != null && TOOLS_CALL.equals(METHOD.text(request))) {
                HANDLER_ERROR.set(new Object[] {McpSdk.id(request), error});
            }
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.handler-error", t);
        }
    }

    /** McpServerTransport implementations' sendMessage(JSONRPCMessage[, ...]) enter. */
    public static void messageSent(Object transport, Object message) {
        if (CALLS.isEmpty() || message == null) {
            return;
        }
        long now = System.nanoTime();
        try {
            if (JsonRpc.of(message) != JsonRpc.RESPONSE) {
                return;
            }
            ServedCall call = CALLS.finish(new ServedCall.Key(transport, String.valueOf(McpSdk.id(message))));
            if (call == null) {
                return;
            }
            McpHubTelemetry t = AgentTelemetry.get();
            if (t != null) {
                complete(call, message, now);
                Object error = ERROR.get(message);
                t.logToolCall(call, call.arguments, error != null ? error : RESULT.get(message));
            }
        } catch (Throwable t) {
            AgentErrors.report("mcp-server.response", t);
        }
    }

    /** close(), closeGracefully() or delete() of a server session. */
    public static void sessionClosing(Object session, String how) {
        try {
            String id = SERVER_SESSION_ID.text(session);
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
        Object params = PARAMS.get(request);
        String tool = NAME.text(params);
        String requestId = String.valueOf(McpSdk.id(request));
        ServedCall call = new ServedCall(HubServerNames.forSession(session, t), tool == null ? "(unknown)" : tool,
                SERVER_SESSION_ID.text(session), requestId, Times.nowMicros(), System.nanoTime(),
                t.config().capturePayloads() ? ARGUMENTS.get(params) : null);
        traced(call, session, params);
        CALLS.start(new ServedCall.Key(transport, requestId), call);
    }

    /**
     * The served call's MCP server span: a child of the caller's span when the request carries a valid
     * {@code _meta.traceparent}, else of the hub's current span (e.g. the OpenTelemetry Java agent's span
     * of the HTTP request that carried it), else the first span of a new trace.
     */
    private static void traced(ServedCall call, Object session, Object params) {
        TraceIds.Parent caller = TraceIds.parseTraceparent(TraceMeta.traceparent(params));
        if (caller == null) {
            OtelCurrentSpan.Current current = session == null ? null : OtelCurrentSpan.of(session.getClass());
            caller = current == null ? null : current.parent();
        }
        if (caller != null) {
            call.traced(caller.traceHigh(), caller.traceLow(), TraceIds.randomId(), caller.spanId());
        } else {
            call.traced(TraceIds.randomId(), TraceIds.randomId(), TraceIds.randomId(), 0);
        }
    }

    private static void complete(ServedCall call, Object response, long now) {
        Object error = ERROR.get(response);
        Object result = RESULT.get(response);
        if (error != null) {
            Throwable thrown = takeHandlerError(call.requestId());
            Object code = CODE.get(error);
            String message = MESSAGE.text(error);
            call.completed(null, now, errorOutcome(code),
                    thrown != null ? thrown.getClass().getName() : "JSONRPCError(" + code + ")",
                    thrown != null && thrown.getMessage() != null ? thrown.getMessage() : message, -1);
        } else if (Boolean.TRUE.equals(IS_ERROR.get(result))) {
            call.completed(null, now, Outcome.TOOL_ERROR, null, McpSdk.firstText(result), -1);
        } else {
            call.completed(null, now, Outcome.SUCCESS, null, null, -1);
        }
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

    static Transport transportOf(Object transport) {
        if (transport == null) {
            return Transport.UNKNOWN;
        }
        String name = transport.getClass().getName();
        if (name.contains("Stdio")) {
            return Transport.STDIO;
        }
        if (name.contains("Streamable")) {
            return Transport.STREAMABLE_HTTP;
        }
        if (name.contains("Sse")) {
            return Transport.SSE;
        }
        return Transport.UNKNOWN;
    }
}
