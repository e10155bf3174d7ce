package io.mcphub.telemetry.agent.mcpclient;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.PromptInfo;
import io.mcphub.telemetry.ResourceInfo;
import io.mcphub.telemetry.ToolExecution;
import io.mcphub.telemetry.ToolInfo;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.agent.mcpclient.PendingRequests.Pending;
import io.mcphub.telemetry.json.JsonSize;
import io.mcphub.telemetry.json.JsonWriter;
import io.mcphub.telemetry.record.LogLevel;
import io.mcphub.telemetry.record.Outcome;
import io.mcphub.telemetry.record.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the MCP client advice calls. Works at the JSON-RPC message level: requests leave through the
 * client transport's {@code sendMessage}, everything from the server enters through the client
 * session's {@code handle}; a request and its response are paired by id. Every entry point swallows
 * its own failures (counted by {@link AgentErrors}), never blocks and does no I/O.
 */
public final class McpClientHooks {

    static final long DEFAULT_TIMEOUT_NANOS = AgentTelemetry.config().mcpClientRequestTimeout().toNanos();
    static final long GRACE_NANOS = AgentTelemetry.config().mcpClientTimeoutGrace().toNanos();
    private static final int MAX_PENDING = 10_000;
    private static final int MAX_ERROR_TEXT = 2_000;
    private static final Set<String> TRACKED = Set.of("initialize", "tools/call", "tools/list", "resources/list",
            "prompts/list");

    static final Connections CONNECTIONS = new Connections(DEFAULT_TIMEOUT_NANOS);
    static final PendingRequests PENDING = new PendingRequests(MAX_PENDING, GRACE_NANOS, McpClientHooks::expired);
    private static volatile JsonWriter logText;

    private McpClientHooks() {
    }

    // ---- entry points (one per advice) ----

    /** A client session was created: it tells the transport's request timeout. */
    public static void onSessionCreated(Object session) {
        try {
            if (AgentTelemetry.get() == null) {
                return;
            }
            Object transport = Props.field(session, "transport");
            if (transport != null && Props.field(session, "requestTimeout") instanceof Duration timeout) {
                CONNECTIONS.of(transport).requestTimeoutNanos(timeout.toNanos());
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-session", e);
        }
    }

    /** A message leaves for the server. */
    public static void onSend(Object transport, Object message) {
        long now = System.nanoTime();
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null) {
                return;
            }
            JsonRpc kind = JsonRpc.of(message);
            if (kind == JsonRpc.REQUEST) {
                String method = Props.text(message, "method");
                String id = JsonRpc.id(message);
                if (method == null || id == null || !TRACKED.contains(method)) {
                    return;
                }
                ServerConnection c = CONNECTIONS.of(transport);
                Object params = Props.get(message, "params");
                String tool = null;
                Integer argumentBytes = null;
                Object arguments = null;
                String cursor = null;
                String sessionId = null;
                if (method.equals("tools/call")) {
                    sessionId = sessionId(c, transport);
                    tool = Props.text(params, "name");
                    Object a = Props.get(params, "arguments");
                    argumentBytes = bytes(a);
                    arguments = t.config().capturePayloads() ? a : null;
                } else if (!method.equals("initialize")) {
                    cursor = Props.text(params, "cursor");
                }
                PENDING.add(new Pending(id, c, method, Instant.now(), now, tool, argumentBytes, arguments, cursor,
                        sessionId));
            } else if (kind == JsonRpc.NOTIFICATION && "notifications/cancelled".equals(Props.text(message, "method"))) {
                Object params = Props.get(message, "params");
                Pending p = PENDING.complete(Props.text(params, "requestId"));
                if (p != null && p.method().equals("tools/call")) {
                    String reason = Props.text(params, "reason");
                    recordCall(t, p, now, Outcome.CANCELLED, null,
                            "cancelled by the client" + (reason == null ? "" : ": " + reason), null, null);
                }
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-send", e);
        }
    }

    /** A message from the server reaches the client session. */
    public static void onIncoming(Object session, Object message) {
        long now = System.nanoTime();
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null) {
                return;
            }
            Object transport = Props.field(session, "transport");
            ServerConnection c = transport == null ? null : CONNECTIONS.of(transport);
            if (c != null) {
                watchProcess(c, transport);
            }
            JsonRpc kind = JsonRpc.of(message);
            if (kind == JsonRpc.RESPONSE) {
                Pending p = PENDING.complete(JsonRpc.id(message));
                if (p != null) {
                    response(t, p, message, now);
                }
            } else if (kind == JsonRpc.NOTIFICATION && c != null) {
                notification(t, c, Props.text(message, "method"), Props.get(message, "params"));
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-receive", e);
        }
    }

    /** The transport could not send a request: the SDK fails the call with {@code error}. */
    public static void onSendFailed(Object session, Object requestId, Throwable error) {
        long now = System.nanoTime();
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null || requestId == null) {
                return;
            }
            Pending p = PENDING.complete(requestId.toString());
            if (p == null) {
                return;
            }
            String text = describe(error);
            if (isConnectionFailure(error)) {
                p.connection().lost(t, text);
            }
            if (p.method().equals("tools/call")) {
                recordCall(t, p, now, Outcome.EXCEPTION, error == null ? null : error.getClass().getName(), text,
                        null, null);
            } else if (p.method().equals("initialize")) {
                connectFailed(t, p.connection(), text);
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-send-failure", e);
        }
    }

    /** The session fails every request still waiting (the hub closes it): those calls were cancelled. */
    public static void onSessionDismiss(Object session) {
        long now = System.nanoTime();
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null || !(Props.field(session, "pendingResponses") instanceof Map<?, ?> waiting)) {
                return;
            }
            for (Object id : waiting.keySet()) {
                Pending p = PENDING.complete(String.valueOf(id));
                if (p != null) {
                    abandoned(t, p, now, "MCP session with server terminated");
                }
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-session-close", e);
        }
    }

    /** The hub closes the transport: the server is disconnected, calls still in flight are cancelled. */
    public static void onTransportClose(Object transport) {
        long now = System.nanoTime();
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            ServerConnection c = t == null ? null : CONNECTIONS.known(transport);
            if (c == null || !c.closedByHub(t)) {
                return;
            }
            for (Pending p : PENDING.completeAll(c)) {
                abandoned(t, p, now, "connection closed by the hub");
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-close", e);
        }
    }

    /**
     * The hub closed the session or transport while a request waited: cancelled, unless the SDK's request
     * timeout had already passed (the hub closes a server whose initialize timed out).
     */
    private static void abandoned(McpHubTelemetry t, Pending p, long now, String reason) {
        if (now - p.startNanos() >= p.connection().requestTimeoutNanos()) {
            expired(p);
        } else if (p.method().equals("tools/call")) {
            recordCall(t, p, now, Outcome.CANCELLED, null, reason, null, null);
        } else if (p.method().equals("initialize")) {
            connectFailed(t, p.connection(), "initialize: " + reason + " before the server answered");
        }
    }

    // ---- responses ----

    private static void response(McpHubTelemetry t, Pending p, Object message, long now) {
        ServerConnection c = p.connection();
        Object error = Props.get(message, "error");
        Object result = Props.get(message, "result");
        switch (p.method()) {
            case "initialize" -> {
                if (error != null) {
                    connectFailed(t, c, rpcError(error));
                } else {
                    Object info = Props.get(result, "serverInfo");
                    String name = CONNECTIONS.name(Props.text(info, "name"), c.endpoint);
                    c.connected(t, name, Props.text(info, "version"), Props.text(result, "protocolVersion"),
                            Props.get(result, "capabilities"));
                }
            }
            case "tools/call" -> {
                c.responded(t);
                if (error != null) {
                    recordCall(t, p, now, Outcome.PROTOCOL_ERROR, "McpError", rpcError(error), null, null);
                } else if (Boolean.TRUE.equals(Props.get(result, "isError"))) {
                    recordCall(t, p, now, Outcome.TOOL_ERROR, null, firstText(result), bytes(result), result);
                } else {
                    recordCall(t, p, now, Outcome.SUCCESS, null, null, bytes(result), result);
                }
            }
            default -> {
                c.responded(t);
                if (error == null) {
                    listed(t, c, p, result);
                }
            }
        }
    }

    private static void recordCall(McpHubTelemetry t, Pending p, long endNanos, Outcome outcome, String errorClass,
                                   String errorMessage, Integer resultBytes, Object result) {
        Duration duration = Duration.ofNanos(Math.max(1_000, endNanos - p.startNanos()));
        boolean capture = t.config().capturePayloads();
        p.connection().whenNamed(server -> {
            if (!capture) { // field by field: no execution objects built on the hub's thread
                t.logToolExecution(server, p.tool() == null ? "?" : p.tool(),
                        McpHubTelemetry.epochMicros(p.startedAt()), duration.toNanos() / 1_000,
                        outcome, errorClass, errorMessage, p.argumentBytes() == null ? -1 : p.argumentBytes(),
                        resultBytes == null ? -1 : resultBytes, p.sessionId(), p.id(), null);
                return;
            }
            ToolExecution e = outcome == Outcome.SUCCESS
                    ? ToolExecution.success(server, p.tool() == null ? "?" : p.tool(), p.startedAt(), duration)
                    : ToolExecution.failure(server, p.tool() == null ? "?" : p.tool(), p.startedAt(), duration,
                            outcome, errorClass, errorMessage);
            e = e.withSizes(p.argumentBytes(), resultBytes).withIds(p.sessionId(), p.id());
            if (capture) {
                e = e.withPayloads(p.arguments(), result);
            }
            t.logToolExecution(e);
        });
    }

    /** A page of tools/resources/prompts; the full list (all pages) is registered. */
    private static void listed(McpHubTelemetry t, ServerConnection c, Pending p, Object result) {
        String kind = p.method().substring(0, p.method().indexOf('/'));
        List<Object> items = p.cursor() == null ? new ArrayList<>() : c.takePages(p.method(), p.cursor());
        if (items == null || !(Props.get(result, kind) instanceof List<?> page)) {
            return; // the first pages were not seen: no full list to register
        }
        for (Object item : page) {
            if (items.size() < ServerConnection.MAX_LISTED_ITEMS) {
                items.add(item);
            }
        }
        String next = Props.text(result, "nextCursor");
        if (next != null && !next.isEmpty()) {
            c.keepPages(p.method(), next, items);
            return;
        }
        switch (kind) {
            case "tools" -> {
                List<ToolInfo> tools = new ArrayList<>(items.size());
                for (Object i : items) {
                    String name = Props.text(i, "name");
                    if (name != null) {
                        tools.add(new ToolInfo(name, Props.text(i, "title"), Props.text(i, "description"),
                                Props.get(i, "inputSchema")));
                    }
                }
                c.whenNamed(server -> t.registerTools(server, tools));
            }
            case "resources" -> {
                List<ResourceInfo> resources = new ArrayList<>(items.size());
                for (Object i : items) {
                    String uri = Props.text(i, "uri");
                    if (uri != null) {
                        resources.add(new ResourceInfo(uri, Props.text(i, "name"), Props.text(i, "description"),
                                Props.text(i, "mimeType")));
                    }
                }
                c.whenNamed(server -> t.registerResources(server, resources));
            }
            case "prompts" -> {
                List<PromptInfo> prompts = new ArrayList<>(items.size());
                for (Object i : items) {
                    String name = Props.text(i, "name");
                    if (name != null) {
                        prompts.add(new PromptInfo(name, Props.text(i, "description"), Props.get(i, "arguments")));
                    }
                }
                c.whenNamed(server -> t.registerPrompts(server, prompts));
            }
            default -> {
            }
        }
    }

    // ---- notifications ----

    private static void notification(McpHubTelemetry t, ServerConnection c, String method, Object params) {
        if (method == null) {
            return;
        }
        switch (method) {
            case "notifications/message" -> {
                LogLevel level = level(Props.text(params, "level"));
                String logger = Props.text(params, "logger");
                Object data = Props.get(params, "data");
                String text = data instanceof CharSequence s ? s.toString() : logText(t).write(data);
                @SuppressWarnings("unchecked")
                Map<String, ?> context = data instanceof Map<?, ?> m ? (Map<String, ?>) m : null;
                c.whenNamed(server -> t.log(server, level, logger, text == null ? "" : text, context));
            }
            case "notifications/tools/list_changed" -> event(t, c, "tools.list_changed", method, null);
            case "notifications/resources/list_changed" -> event(t, c, "resources.list_changed", method, null);
            case "notifications/prompts/list_changed" -> event(t, c, "prompts.list_changed", method, null);
            case "notifications/resources/updated" -> event(t, c, "resources.updated", method, Props.text(params, "uri"));
            default -> {
            }
        }
    }

    private static void event(McpHubTelemetry t, ServerConnection c, String type, String method, String uri) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("method", method);
        if (uri != null) {
            payload.put("uri", uri);
        }
        c.whenNamed(server -> t.logEvent(type, server, payload));
    }

    // ---- failures of the connection ----

    /** The SDK gave up waiting (its request timeout passed): the call timed out. */
    private static void expired(Pending p) {
        McpHubTelemetry t = AgentTelemetry.get();
        if (t == null) {
            return;
        }
        long timeout = p.connection().requestTimeoutNanos();
        String text = "no response within " + Duration.ofNanos(timeout).toMillis() + " ms";
        if (p.method().equals("tools/call")) {
            recordCall(t, p, p.startNanos() + timeout, Outcome.TIMEOUT, "java.util.concurrent.TimeoutException", text,
                    null, null);
        } else if (p.method().equals("initialize")) {
            connectFailed(t, p.connection(), "initialize: " + text);
        }
    }

    private static void watchProcess(ServerConnection c, Object transport) {
        if (c.endpoint.transport() != Transport.STDIO) {
            return;
        }
        if (Props.field(transport, "process") instanceof Process process && c.watchProcess(process)) {
            process.onExit().whenComplete((p, error) -> processExited(c, process));
        }
    }

    /** A stdio server's process ended without the hub closing it: disconnected, its calls failed. */
    private static void processExited(ServerConnection c, Process process) {
        long now = System.nanoTime();
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null || c.isClosing()) {
                return;
            }
            String text = "server process " + process.pid() + " exited with code " + process.exitValue();
            c.lost(t, text);
            for (Pending p : PENDING.completeAll(c)) {
                if (p.method().equals("tools/call")) {
                    recordCall(t, p, now, Outcome.EXCEPTION, "ProcessExited", text, null, null);
                }
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-process-exit", e);
        }
    }

    private static void connectFailed(McpHubTelemetry t, ServerConnection c, String error) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("transport", c.endpoint.transport().sqlName());
        payload.put("endpoint", c.endpoint.endpoint());
        payload.put("error", error);
        t.logEvent("server.connect_failed", c.name(), payload);
        c.lost(t, error);
    }

    // ---- small readers ----

    /** The MCP session id a streamable HTTP transport sends (Mcp-Session-Id), when it has one. */
    private static String sessionId(ServerConnection c, Object transport) {
        if (c.endpoint.transport() != Transport.STREAMABLE_HTTP) {
            return null;
        }
        return Props.text(Props.get(Props.field(transport, "activeSession"), "get"), "sessionId");
    }

    private static Integer bytes(Object value) {
        long n = JsonSize.utf8Bytes(value);
        return n < 0 ? null : (int) Math.min(n, Integer.MAX_VALUE);
    }

    private static String rpcError(Object error) {
        return cap(Props.text(error, "message") + " (JSON-RPC error " + Props.text(error, "code") + ")");
    }

    /** The first text of an {@code isError} result: what the tool said went wrong. */
    private static String firstText(Object result) {
        if (Props.get(result, "content") instanceof List<?> content) {
            for (Object item : content) {
                String text = Props.text(item, "text");
                if (text != null) {
                    return cap(text);
                }
            }
        }
        return "tool reported isError=true";
    }

    private static LogLevel level(String level) {
        if (level != null) {
            try {
                return LogLevel.valueOf(level.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                // fall through
            }
        }
        return LogLevel.INFO;
    }

    private static JsonWriter logText(McpHubTelemetry t) {
        JsonWriter w = logText;
        if (w == null) {
            w = new JsonWriter(t.config().redactKeys(), t.config().maxTextChars());
            logText = w;
        }
        return w;
    }

    static boolean isConnectionFailure(Throwable error) {
        for (Throwable c = error; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.io.IOException || c instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable error) {
        if (error == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable c = error; c != null && depth < 4; c = c.getCause() == c ? null : c.getCause(), depth++) {
            String part = c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
            if (sb.indexOf(part) < 0) {
                sb.append(sb.length() == 0 ? "" : " <- ").append(part);
            }
        }
        return cap(sb.toString());
    }

    private static String cap(String s) {
        return s == null || s.length() <= MAX_ERROR_TEXT ? s : s.substring(0, MAX_ERROR_TEXT) + "…";
    }
}
