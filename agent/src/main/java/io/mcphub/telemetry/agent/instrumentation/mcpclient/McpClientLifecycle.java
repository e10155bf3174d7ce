package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.SESSION_PENDING_RESPONSES;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.SESSION_REQUEST_TIMEOUT;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.SESSION_TRANSPORT;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.STDIO_PROCESS;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.Transport;
import io.mcphub.telemetry.text.SecretScrubber;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a connection and its calls end other than by a response: a request the transport could not
 * send, the session closing with calls waiting, the hub closing the transport, a stdio server's
 * process exiting, the SDK's request timeout passing.
 */
public final class McpClientLifecycle {

    private McpClientLifecycle() {
    }

    /** A client session was created: it tells the transport's request timeout. */
    public static void onSessionCreated(Object session) {
        try {
            if (AgentTelemetry.get() == null) {
                return;
            }
            Object transport = SESSION_TRANSPORT.get(session);
            if (transport != null && SESSION_REQUEST_TIMEOUT.get(session) instanceof Duration timeout) {
                McpClientSingletons.CONNECTIONS.of(transport).requestTimeoutNanos(timeout.toNanos());
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-session", e);
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
            ClientCall call = McpClientSingletons.CALLS.finish(requestId.toString());
            if (call == null) {
                return;
            }
            String text = describe(error);
            if (isConnectionFailure(error)) {
                call.connection.lost(t, text);
            }
            if (call.isToolCall()) {
                McpClientResponses.record(t, call, now, Outcome.EXCEPTION, error == null ? null : error.getClass().getName(),
                        text, -1);
            } else if (call.method.equals(McpClientRequests.INITIALIZE)) {
                connectFailed(t, call.connection, text);
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
            if (t == null || !(SESSION_PENDING_RESPONSES.get(session) instanceof Map<?, ?> waiting)) {
                return;
            }
            for (Object id : waiting.keySet()) {
                ClientCall call = McpClientSingletons.CALLS.finish(String.valueOf(id));
                if (call != null) {
                    abandoned(t, call, now, "MCP session with server terminated");
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
            ServerConnection c = t == null ? null : McpClientSingletons.CONNECTIONS.known(transport);
            if (c == null || !c.closedByHub(t)) {
                return;
            }
            for (ClientCall call : McpClientSingletons.CALLS.finishAll(p -> p.connection == c)) {
                abandoned(t, call, now, "connection closed by the hub");
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-close", e);
        }
    }

    /**
     * The hub closed the session or transport while a request waited: cancelled, unless the SDK's request
     * timeout had already passed (the hub closes a server whose initialize timed out).
     */
    private static void abandoned(McpHubTelemetry t, ClientCall call, long now, String reason) {
        if (now - call.startNanos >= call.connection.requestTimeoutNanos()) {
            expired(call);
        } else if (call.isToolCall()) {
            McpClientResponses.record(t, call, now, Outcome.CANCELLED, null, reason, -1);
        } else if (call.method.equals(McpClientRequests.INITIALIZE)) {
            connectFailed(t, call.connection, "initialize: " + reason + " before the server answered");
        }
    }

    /** The SDK gave up waiting (its request timeout passed): the call timed out. */
    static void expired(ClientCall call) {
        McpHubTelemetry t = AgentTelemetry.get();
        if (t == null) {
            return;
        }
        long timeout = call.connection.requestTimeoutNanos();
        String text = "no response within " + Duration.ofNanos(timeout).toMillis() + " ms";
        if (call.isToolCall()) {
            McpClientResponses.record(t, call, call.startNanos + timeout, Outcome.TIMEOUT,
                    "java.util.concurrent.TimeoutException", text, -1);
        } else if (call.method.equals(McpClientRequests.INITIALIZE)) {
            connectFailed(t, call.connection, "initialize: " + text);
        }
    }

    /**
     * Initialize is being sent on a stdio transport: its process may not have started yet (the SDK starts
     * it on another thread), and one that dies at start never answers, so the process is looked for until
     * it is there, the transport is gone, or the request timeout has passed.
     */
    static void watchProcessOnceStarted(ServerConnection c, Object transport) {
        if (c.endpoint.transport() != Transport.STDIO) {
            return;
        }
        if (STDIO_PROCESS.get(transport) instanceof Process) {
            watchProcess(c, transport);
            return;
        }
        WeakReference<Object> weak = new WeakReference<>(transport);
        long deadline = System.nanoTime() + c.requestTimeoutNanos();
        McpClientSingletons.repeatUntil(() -> {
            Object tr = weak.get();
            if (tr == null || c.isClosing() || System.nanoTime() - deadline > 0) {
                return true;
            }
            if (STDIO_PROCESS.get(tr) instanceof Process) {
                watchProcess(c, tr);
                return true;
            }
            return false;
        });
    }

    static void watchProcess(ServerConnection c, Object transport) {
        if (c.endpoint.transport() != Transport.STDIO) {
            return;
        }
        if (STDIO_PROCESS.get(transport) instanceof Process process && c.watchProcess(process)) {
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
            for (ClientCall call : McpClientSingletons.CALLS.finishAll(p -> p.connection == c)) {
                if (call.isToolCall()) {
                    McpClientResponses.record(t, call, now, Outcome.EXCEPTION, "ProcessExited", text, -1);
                } else if (call.method.equals(McpClientRequests.INITIALIZE)) {
                    connectFailed(t, c, "initialize: " + text + " before answering");
                }
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-process-exit", e);
        }
    }

    /** Connecting failed before initialize was answered: an event, and the server recorded as failed. */
    static void connectFailed(McpHubTelemetry t, ServerConnection c, String error) {
        String name = c.name() != null ? c.name() : McpClientSingletons.NAMING.fromEndpoint(c.endpoint);
        String scrubbed = SecretScrubber.scrub(error);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("transport", c.endpoint.transport().sqlName());
        payload.put("endpoint", c.endpoint.endpoint());
        payload.put("error", scrubbed);
        t.logEvent("server.connect_failed", name, payload);
        c.failedToConnect(t, name, scrubbed);
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
        return McpClientResponses.cap(sb.toString());
    }
}
