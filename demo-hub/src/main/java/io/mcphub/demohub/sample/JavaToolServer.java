package io.mcphub.demohub.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mcphub.demohub.JettyServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.http.HttpServlet;

/**
 * A standalone MCP server built with the Java SDK, serving streamable HTTP at {@code /mcp}.
 * <p>
 * {@code java -cp demo-hub.jar io.mcphub.demohub.sample.JavaToolServer --port 9001}
 * <p>
 * Tools: {@code echo} (text), {@code add} (a, b), {@code fail} (isError result), {@code throw} (handler throws),
 * {@code slow} (ms), {@code notify} (sends notifications/message at level info, then returns), {@code meta}
 * (returns its request's {@code _meta}).
 */
public final class JavaToolServer implements AutoCloseable {

    private final McpSyncServer mcpServer;
    private final JettyServer http;

    private JavaToolServer(McpSyncServer mcpServer, JettyServer http) {
        this.mcpServer = mcpServer;
        this.http = http;
    }

    public static JavaToolServer start(String host, int port) throws Exception {
        return start(host, port, null);
    }

    /** With {@code requiredToken} set, {@code /mcp} answers 401 unless {@code Authorization: Bearer <requiredToken>}. */
    public static JavaToolServer start(String host, int port, String requiredToken) throws Exception {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(json)
            .mcpEndpoint("/mcp")
            .build();
        McpSyncServer server = McpServer.sync(transport)
            .serverInfo("java-tool-server", "0.1.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging().build())
            .tools(tools(json))
            .requestTimeout(Duration.ofSeconds(30))
            .build();
        JettyServer http;
        try {
            Map<String, HttpServlet> servlets = new LinkedHashMap<>();
            servlets.put("/mcp", requiredToken == null ? transport : new BearerTokenGate(transport, requiredToken));
            http = JettyServer.start("java-tool-server", host, port, servlets);
        }
        catch (Exception e) {
            server.close();
            throw e;
        }
        return new JavaToolServer(server, http);
    }

    public int port() {
        return http.port();
    }

    static List<SyncToolSpecification> tools(McpJsonMapper json) {
        return List.of(
                tool(json, "echo", "Returns its text argument",
                        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}",
                        (ex, req) -> text(String.valueOf(arg(req, "text", "")))),
                tool(json, "add", "Adds two numbers a and b",
                        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"},\"b\":{\"type\":\"number\"}},"
                                + "\"required\":[\"a\",\"b\"]}",
                        (ex, req) -> text(formatNumber(number(req, "a") + number(req, "b")))),
                tool(json, "fail", "Returns a tool result with isError=true",
                        "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}",
                        (ex, req) -> CallToolResult.builder()
                            .addTextContent("tool failed: " + arg(req, "message", "requested failure"))
                            .isError(true)
                            .build()),
                tool(json, "throw", "The handler throws a RuntimeException (a JSON-RPC error for the caller)",
                        "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}",
                        (ex, req) -> {
                            throw new IllegalStateException("boom: " + arg(req, "message", "requested exception"));
                        }),
                tool(json, "slow", "Sleeps ms milliseconds, then returns",
                        "{\"type\":\"object\",\"properties\":{\"ms\":{\"type\":\"integer\",\"minimum\":0}}}",
                        (ex, req) -> {
                            long ms = (long) number(req, "ms", 1000);
                            try {
                                Thread.sleep(Math.max(0, ms));
                            }
                            catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return CallToolResult.builder().addTextContent("interrupted").isError(true).build();
                            }
                            return text("slept " + ms + " ms");
                        }),
                tool(json, "meta", "Returns the _meta of its own request as JSON (e.g. the caller's traceparent)",
                        "{\"type\":\"object\",\"properties\":{}}",
                        (ex, req) -> {
                            try {
                                return text(json.writeValueAsString(req.meta() == null ? Map.of() : req.meta()));
                            }
                            catch (java.io.IOException e) {
                                throw new IllegalStateException(e);
                            }
                        }),
                tool(json, "notify", "Sends a notifications/message (level info) to the client, then returns",
                        "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}",
                        (ex, req) -> {
                            String message = String.valueOf(arg(req, "message", "hello from java-tool-server"));
                            ex.loggingNotification(McpSchema.LoggingMessageNotification
                                .builder(McpSchema.LoggingLevel.INFO, message)
                                .logger("java-tool-server")
                                .build());
                            return text("notified: " + message);
                        }));
    }

    private static SyncToolSpecification tool(McpJsonMapper json, String name, String description, String schema,
            java.util.function.BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, CallToolResult> handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder(name, json, schema).description(description).build();
        return new SyncToolSpecification(tool, handler);
    }

    private static CallToolResult text(String s) {
        return CallToolResult.builder().addTextContent(s).isError(false).build();
    }

    private static Object arg(McpSchema.CallToolRequest req, String name, Object dflt) {
        Map<String, Object> args = req.arguments();
        Object v = args == null ? null : args.get(name);
        return v == null ? dflt : v;
    }

    private static double number(McpSchema.CallToolRequest req, String name) {
        Object v = arg(req, name, null);
        if (v == null) {
            throw new IllegalArgumentException("missing argument " + name);
        }
        return toDouble(v, name);
    }

    private static double number(McpSchema.CallToolRequest req, String name, double dflt) {
        Object v = arg(req, name, null);
        return v == null ? dflt : toDouble(v, name);
    }

    private static double toDouble(Object v, String name) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument " + name + " is not a number: " + v);
        }
    }

    static String formatNumber(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    @Override
    public void close() {
        try {
            mcpServer.closeGracefully();
        }
        catch (RuntimeException ignored) {
            // closing anyway
        }
        try {
            http.close();
        }
        catch (Exception ignored) {
            // closing anyway
        }
    }

    public static void main(String[] args) throws Exception {
        int port = 9001;
        String host = "127.0.0.1";
        String requiredToken = null;
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("--port") || args[i].equals("-p")) && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            }
            else if (args[i].startsWith("--port=")) {
                port = Integer.parseInt(args[i].substring(7));
            }
            else if (args[i].equals("--host") && i + 1 < args.length) {
                host = args[++i];
            }
            else if (args[i].equals("--require-token") && i + 1 < args.length) {
                requiredToken = args[++i];
            }
            else {
                System.err.println("Usage: JavaToolServer [--port 9001] [--host 127.0.0.1] [--require-token <token>]");
                System.exit(2);
            }
        }
        JavaToolServer server = start(host, port, requiredToken);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "java-tool-server-shutdown"));
        System.out.println("java-tool-server listening on http://" + host + ":" + server.port());
        System.out.flush();
        server.http.join();
    }
}
