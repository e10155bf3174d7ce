package io.mcphub.demohub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST API of the hub, mounted at {@code /api/*}:
 * <ul>
 * <li>{@code GET /api/health}: {@code {"status":"ok","servers":N,"connected":M}}</li>
 * <li>{@code GET /api/servers}: the configured servers with transport, status and tool names</li>
 * <li>{@code GET /api/servers/{name}}: one server</li>
 * <li>{@code POST /api/servers/{name}/tools/{tool}/call} with a JSON object of arguments: the downstream
 * CallToolResult as JSON. Tool names are not pre-validated: the call always goes to the downstream server,
 * and its protocol error comes back as a JSON error.</li>
 * </ul>
 */
public final class RestApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(RestApiServlet.class);
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private final transient DemoHub hub;
    private final transient McpJsonMapper json = McpJsonDefaults.getMapper();

    public RestApiServlet(DemoHub hub) {
        this.hub = hub;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> p = segments(req);
        if (p.size() == 1 && p.get(0).equals("health")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            body.put("servers", hub.servers().size());
            body.put("connected", hub.servers().values().stream()
                .filter(s -> s.status() == DownstreamServer.Status.CONNECTED).count());
            write(resp, 200, body);
        }
        else if (p.size() == 1 && p.get(0).equals("servers")) {
            List<Object> list = new ArrayList<>();
            for (DownstreamServer s : hub.servers().values()) {
                list.add(describe(s));
            }
            write(resp, 200, list);
        }
        else if (p.size() == 2 && p.get(0).equals("servers")) {
            DownstreamServer s = hub.server(p.get(1));
            if (s == null) {
                unknownServer(resp, p.get(1));
                return;
            }
            write(resp, 200, describe(s));
        }
        else if (isCallPath(p)) {
            error(resp, 405, "method_not_allowed", "Use POST to call a tool", null);
        }
        else {
            error(resp, 404, "not_found", "No such endpoint: GET " + req.getRequestURI(), null);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> p = segments(req);
        if (!isCallPath(p)) {
            if (p.size() == 1 && (p.get(0).equals("health") || p.get(0).equals("servers"))) {
                error(resp, 405, "method_not_allowed", "Use GET", null);
            }
            else {
                error(resp, 404, "not_found", "No such endpoint: POST " + req.getRequestURI(), null);
            }
            return;
        }
        String serverName = p.get(1);
        String tool = p.get(3);
        DownstreamServer server = hub.server(serverName);
        if (server == null) {
            unknownServer(resp, serverName);
            return;
        }
        Map<String, Object> arguments;
        try {
            arguments = readArguments(req);
        }
        catch (IllegalArgumentException e) {
            error(resp, 400, "bad_request", e.getMessage(), Map.of("server", serverName, "tool", tool));
            return;
        }
        McpSchema.CallToolResult result;
        try {
            result = server.callTool(tool, arguments);
        }
        catch (DownstreamServer.ServerUnavailableException e) {
            error(resp, 503, "server_unavailable", e.getMessage(), Map.of("server", serverName, "tool", tool));
            return;
        }
        catch (McpError e) {
            McpSchema.JSONRPCResponse.JSONRPCError rpc = e.getJsonRpcError();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("server", serverName);
            extra.put("tool", tool);
            int status = 502;
            if (rpc != null) {
                extra.put("code", rpc.code());
                if (rpc.data() != null) {
                    extra.put("data", rpc.data());
                }
                status = statusFor(rpc.code());
            }
            error(resp, status, "downstream_error", rpc != null ? rpc.message() : e.getMessage(), extra);
            return;
        }
        catch (RuntimeException e) {
            boolean timeout = isTimeout(e);
            log.warn("tools/call {} on '{}' failed: {}", tool, serverName, DownstreamServer.describe(e));
            error(resp, timeout ? 504 : 502, timeout ? "downstream_timeout" : "downstream_failure",
                    DownstreamServer.describe(e), Map.of("server", serverName, "tool", tool));
            return;
        }
        write(resp, 200, result);
    }

    /** HTTP status for a JSON-RPC error code returned by the downstream server. */
    static int statusFor(int code) {
        switch (code) {
            case McpSchema.ErrorCodes.METHOD_NOT_FOUND:
            case McpSchema.ErrorCodes.RESOURCE_NOT_FOUND:
                return 404;
            case McpSchema.ErrorCodes.INVALID_PARAMS: // also "Unknown tool" in the Java SDK server
            case McpSchema.ErrorCodes.INVALID_REQUEST:
            case McpSchema.ErrorCodes.PARSE_ERROR:
                return 400;
            default:
                return 502; // the downstream server failed (incl. -32603 internal error)
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || (t.getMessage() != null && t.getMessage().contains("Timeout"))) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Object> describe(DownstreamServer s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("transport", s.config().transport().id());
        m.put("target", s.config().target());
        m.put("status", s.status().id());
        if (s.serverInfo() != null) {
            m.put("serverInfo", Map.of("name", s.serverInfo().name(), "version",
                    String.valueOf(s.serverInfo().version())));
        }
        if (s.error() != null) {
            m.put("error", s.error());
        }
        m.put("tools", s.tools().stream().map(McpSchema.Tool::name).toList());
        return m;
    }

    private Map<String, Object> readArguments(HttpServletRequest req) throws IOException {
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("Request body too large");
        }
        String text = new String(body, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return Map.of();
        }
        Object parsed;
        try {
            parsed = json.readValue(text, new TypeRef<Object>() {
            });
        }
        catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Request body is not valid JSON: " + e.getMessage());
        }
        if (parsed == null) {
            return Map.of();
        }
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException("Request body must be a JSON object of tool arguments");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) parsed;
        return map;
    }

    private static boolean isCallPath(List<String> p) {
        return p.size() == 5 && p.get(0).equals("servers") && p.get(2).equals("tools") && p.get(4).equals("call");
    }

    private static List<String> segments(HttpServletRequest req) {
        String info = req.getPathInfo();
        List<String> out = new ArrayList<>();
        if (info == null) {
            return out;
        }
        for (String s : info.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private void unknownServer(HttpServletResponse resp, String name) throws IOException {
        error(resp, 404, "unknown_server", "Unknown MCP server: " + name,
                Map.of("server", name, "servers", List.copyOf(hub.servers().keySet())));
    }

    private void error(HttpServletResponse resp, int status, String error, String message, Map<String, Object> extra)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        if (extra != null) {
            body.putAll(extra);
        }
        write(resp, status, body);
    }

    private void write(HttpServletResponse resp, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
