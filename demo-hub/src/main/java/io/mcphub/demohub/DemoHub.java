package io.mcphub.demohub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mcphub.demohub.oauth.OAuthClient;
import io.mcphub.demohub.oauth.OAuthServlet;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub: connects to every configured MCP server with the SDK client and exposes the union of their
 * tools (named {@code <server>__<tool>}) on its own streamable HTTP MCP endpoint {@code /mcp}, plus a
 * small REST API under {@code /api}.
 */
public final class DemoHub implements AutoCloseable {

    public static final String VERSION = "0.1.0";
    public static final String TOOL_SEPARATOR = "__";

    private static final Logger log = LoggerFactory.getLogger(DemoHub.class);

    private final HubConfig config;
    private final Map<String, DownstreamServer> servers;
    /** hub tool name -> [server name, downstream tool name], guarded by {@code this}. */
    private final Map<String, String[]> exposed = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile HttpServletStreamableServerTransportProvider transportProvider;
    private volatile McpSyncServer mcpServer;
    private volatile JettyServer http;

    private DemoHub(HubConfig config) {
        this.config = config;
        Map<String, DownstreamServer> map = new LinkedHashMap<>();
        for (HubConfig.ServerConfig sc : config.servers()) {
            map.put(sc.name(), new DownstreamServer(sc,
                    sc.requestTimeout() != null ? sc.requestTimeout() : Duration.ofSeconds(60), Duration.ofSeconds(30)));
        }
        this.servers = Collections.unmodifiableMap(map);
    }

    /** Connects all servers (in parallel), then starts the HTTP server. Servers that fail are marked failed. */
    public static DemoHub start(HubConfig config, String host, int port) throws Exception {
        DemoHub hub = new DemoHub(config);
        try {
            hub.connectAll();
            hub.startServer(host, port);
            return hub;
        }
        catch (Exception | Error e) {
            hub.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public HubConfig config() {
        return config;
    }

    public Map<String, DownstreamServer> servers() {
        return servers;
    }

    public DownstreamServer server(String name) {
        return servers.get(name);
    }

    public void join() throws InterruptedException {
        http.join();
    }

    private void connectAll() throws InterruptedException {
        if (servers.isEmpty()) {
            log.warn("No MCP servers configured in {}", config.source());
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(servers.size(), 8), r -> {
            Thread t = new Thread(r, "demo-hub-connect");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (DownstreamServer s : servers.values()) {
                futures.add(pool.submit(s::connect));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                }
                catch (java.util.concurrent.ExecutionException e) {
                    log.error("unexpected connect failure", e.getCause());
                }
            }
        }
        finally {
            pool.shutdownNow();
        }
        long ok = servers.values().stream().filter(s -> s.status() == DownstreamServer.Status.CONNECTED).count();
        log.info("{} of {} MCP servers connected", ok, servers.size());
    }

    private void startServer(String host, int port) throws Exception {
        this.transportProvider = HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(McpJsonDefaults.getMapper())
            .mcpEndpoint("/mcp")
            .build();
        this.mcpServer = McpServer.sync(transportProvider)
            .serverInfo("demo-hub", VERSION)
            .instructions("Aggregates the tools of several MCP servers; tool names are <server>__<tool>.")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging().build())
            // downstream tool names may not follow the SEP-986 rules; warn instead of failing
            .strictToolNameValidation(false)
            // forward arguments unchanged: validation is the downstream server's job
            .validateToolInputs(false)
            .requestTimeout(Duration.ofSeconds(60))
            .build();
        for (DownstreamServer s : servers.values()) {
            s.onToolsChanged(this::syncTools);
            if (s.status() == DownstreamServer.Status.CONNECTED) {
                syncTools(s);
            }
        }
        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        servlets.put("/mcp", transportProvider);
        servlets.put("/api/*", new RestApiServlet(this));
        List<OAuthClient> oauthClients = servers.values().stream().map(DownstreamServer::oauth)
            .filter(java.util.Objects::nonNull).toList();
        servlets.put("/oauth/*", new OAuthServlet(n -> servers.containsKey(n) ? servers.get(n).oauth() : null,
                oauthClients, this::reconnect));
        this.http = JettyServer.start("demo-hub", host, port, servlets);
        oauthClients.forEach(c -> c.defaultRedirectUri("http://" + host + ":" + http.port() + "/oauth/callback"));
    }

    /** Connects a server again (e.g. once it was authorized) and exposes its tools. */
    void reconnect(String name) {
        DownstreamServer s = servers.get(name);
        if (s == null || closed.get() || s.status() == DownstreamServer.Status.CONNECTED) {
            return;
        }
        s.connect();
        if (s.status() == DownstreamServer.Status.CONNECTED) {
            syncTools(s);
        }
    }

    /** Makes the hub's tool list for {@code s} match the downstream server's current tool list. */
    synchronized void syncTools(DownstreamServer s) {
        McpSyncServer server = this.mcpServer;
        if (server == null || closed.get()) {
            return;
        }
        Map<String, McpSchema.Tool> wanted = new LinkedHashMap<>();
        for (McpSchema.Tool t : s.tools()) {
            wanted.put(s.name() + TOOL_SEPARATOR + t.name(), t);
        }
        Set<String> current = new HashSet<>();
        exposed.forEach((hubName, target) -> {
            if (target[0].equals(s.name())) {
                current.add(hubName);
            }
        });
        Map<String, McpSchema.Tool> registered = new HashMap<>();
        for (McpSchema.Tool t : server.listTools()) {
            registered.put(t.name(), t);
        }
        for (String hubName : current) {
            if (!wanted.containsKey(hubName)) {
                removeTool(server, hubName);
            }
        }
        for (Map.Entry<String, McpSchema.Tool> e : wanted.entrySet()) {
            String hubName = e.getKey();
            McpSchema.Tool hubTool = rename(e.getValue(), hubName);
            if (hubTool.equals(registered.get(hubName))) {
                continue;
            }
            String downstreamName = e.getValue().name();
            try {
                server.addTool(new McpServerFeatures.SyncToolSpecification(hubTool,
                        (exchange, request) -> forward(s, downstreamName, request)));
                exposed.put(hubName, new String[] { s.name(), downstreamName });
            }
            catch (RuntimeException ex) {
                log.warn("Cannot expose tool '{}' of server '{}': {}", downstreamName, s.name(),
                        DownstreamServer.describe(ex));
            }
        }
    }

    private void removeTool(McpSyncServer server, String hubName) {
        try {
            server.removeTool(hubName);
        }
        catch (RuntimeException ex) {
            log.debug("removeTool {} failed", hubName, ex);
        }
        exposed.remove(hubName);
    }

    private static McpSchema.Tool rename(McpSchema.Tool t, String newName) {
        return new McpSchema.Tool(newName, t.title(), t.description(), t.inputSchema(), t.outputSchema(),
                t.annotations(), t.meta(), t.icons());
    }

    /** The hub tool handler: forwards to the downstream client, result (or McpError) passes through. */
    private static McpSchema.CallToolResult forward(DownstreamServer s, String tool, McpSchema.CallToolRequest req) {
        try {
            return s.callTool(new McpSchema.CallToolRequest(tool, req.arguments(), req.meta()));
        }
        catch (DownstreamServer.ServerUnavailableException e) {
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message(e.getMessage()).build();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("Shutting down demo-hub");
        McpSyncServer server = this.mcpServer;
        if (server != null) {
            try {
                server.closeGracefully();
            }
            catch (RuntimeException e) {
                log.debug("closing MCP server failed", e);
            }
        }
        JettyServer h = this.http;
        if (h != null) {
            try {
                h.close();
            }
            catch (Exception e) {
                log.debug("stopping Jetty failed", e);
            }
        }
        if (!servers.isEmpty()) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(servers.size(), 8));
            for (DownstreamServer s : servers.values()) {
                pool.submit(s::close);
            }
            pool.shutdown();
            try {
                if (!pool.awaitTermination(15, TimeUnit.SECONDS)) {
                    log.warn("Some MCP clients did not close within 15 s");
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
