package io.modelcontextprotocol.spec;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Objects shaped like the MCP Java SDK's (same simple names, same fields and accessors), for unit
 * tests of the agent's hooks without the SDK on the class path.
 */
public final class FakeSdk {
    private FakeSdk() {
    }

    public record JSONRPCRequest(String jsonrpc, String method, Object id, Object params) {
        public JSONRPCRequest(String method, Object id, Object params) {
            this("2.0", method, id, params);
        }
    }

    public record JSONRPCResponse(String jsonrpc, Object id, Object result, Object error) {
        public static JSONRPCResponse ok(Object id, Object result) {
            return new JSONRPCResponse("2.0", id, result, null);
        }

        public static JSONRPCResponse failed(Object id, int code, String message) {
            return new JSONRPCResponse("2.0", id, null, Map.of("code", code, "message", message));
        }
    }

    public record JSONRPCNotification(String jsonrpc, String method, Object params) {
        public JSONRPCNotification(String method, Object params) {
            this("2.0", method, params);
        }
    }

    /** The server-side streamable HTTP session id holder the client transport keeps. */
    public record Session(String sessionId) {
    }

    /** A streamable HTTP client transport: base URI, endpoint, and the active session. */
    public static final class FakeStreamableHttpClientTransport {
        private final URI baseUri;
        private final String endpoint;
        private final AtomicReference<Session> activeSession = new AtomicReference<>();

        public FakeStreamableHttpClientTransport(String baseUri, String endpoint) {
            this.baseUri = URI.create(baseUri);
            this.endpoint = endpoint;
        }

        public void session(String id) {
            activeSession.set(new Session(id));
        }
    }

    /** The parameters a stdio transport was built with. */
    public static final class ServerParameters {
        private final String command;
        private final List<String> args;

        public ServerParameters(String command, List<String> args) {
            this.command = command;
            this.args = args;
        }

        public String getCommand() {
            return command;
        }

        public List<String> getArgs() {
            return args;
        }
    }

    public static final class FakeStdioClientTransport {
        private final ServerParameters params;
        private volatile Process process;

        public FakeStdioClientTransport(String command, List<String> args) {
            this.params = new ServerParameters(command, args);
        }

        public void started(Process p) {
            this.process = p;
        }
    }

    /** The client session: its transport, request timeout and the responses it waits for. */
    public static final class McpClientSession {
        private final Object transport;
        private final Duration requestTimeout;
        private final Map<Object, Object> pendingResponses = new ConcurrentHashMap<>();

        public McpClientSession(Object transport, Duration requestTimeout) {
            this.transport = transport;
            this.requestTimeout = requestTimeout;
        }

        public void waitsFor(Object id) {
            pendingResponses.put(id, new Object());
        }
    }
}
