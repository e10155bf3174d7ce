package io.mcphub.demohub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.mcphub.demohub.oauth.OAuthClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured downstream MCP server and the SDK {@link McpSyncClient} connected to it.
 */
public final class DownstreamServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DownstreamServer.class);

    public enum Status {
        PENDING("pending"), CONNECTED("connected"), FAILED("failed"), CLOSED("closed");

        private final String id;

        Status(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final HubConfig.ServerConfig config;
    private final Duration requestTimeout;
    private final Duration initTimeout;
    private volatile McpSyncClient client;
    private volatile Status status = Status.PENDING;
    private volatile String error;
    private volatile McpSchema.Implementation serverInfo;
    private volatile List<McpSchema.Tool> tools = List.of();
    private volatile Consumer<DownstreamServer> toolsListener = s -> { };
    private final OAuthClient oauth;

    public DownstreamServer(HubConfig.ServerConfig config, Duration requestTimeout, Duration initTimeout) {
        this.config = config;
        this.requestTimeout = requestTimeout;
        this.initTimeout = initTimeout;
        this.oauth = config.oauth() == null ? null : new OAuthClient(config.name(), config.oauth());
    }

    /** The OAuth client of a server whose config has {@code "oauth"}, else null. */
    public OAuthClient oauth() {
        return oauth;
    }

    public String name() {
        return config.name();
    }

    public HubConfig.ServerConfig config() {
        return config;
    }

    public Status status() {
        return status;
    }

    public String error() {
        return error;
    }

    public McpSchema.Implementation serverInfo() {
        return serverInfo;
    }

    public List<McpSchema.Tool> tools() {
        return tools;
    }

    /** Called (on an SDK thread) whenever the downstream server's tool list changed. */
    void onToolsChanged(Consumer<DownstreamServer> listener) {
        this.toolsListener = listener;
    }

    /**
     * Creates the transport and the client, initializes the session and lists the tools. Never throws:
     * a failure is logged and the server is marked {@link Status#FAILED}.
     */
    public void connect() {
        McpSyncClient c = null;
        try {
            McpClientTransport transport = createTransport(config, oauth);
            c = McpClient.sync(transport)
                .clientInfo(McpSchema.Implementation.builder("demo-hub", DemoHub.VERSION).build())
                .requestTimeout(requestTimeout)
                .initializationTimeout(initTimeout)
                .loggingConsumer(n -> log.info("[{}] notifications/message {} {}: {}", name(), n.level(),
                        n.logger(), n.data()))
                .toolsChangeConsumer(this::toolsChanged)
                .build();
            this.client = c;
            McpSchema.InitializeResult init = c.initialize();
            this.serverInfo = init.serverInfo();
            List<McpSchema.Tool> listed = init.capabilities() != null && init.capabilities().tools() != null
                    ? c.listTools().tools() : List.of();
            this.tools = listed == null ? List.of() : List.copyOf(listed);
            this.status = Status.CONNECTED;
            log.info("Connected to MCP server '{}' via {} ({}): {} {} with {} tools", name(), config.transport().id(),
                    config.target(), serverInfo == null ? "?" : serverInfo.name(),
                    serverInfo == null ? "" : serverInfo.version(), tools.size());
        }
        catch (Exception e) {
            this.error = describe(e);
            this.status = Status.FAILED;
            log.warn("MCP server '{}' ({} {}) failed to connect: {}", name(), config.transport().id(), config.target(),
                    error);
            log.debug("connect failure of '{}'", name(), e);
            if (c != null) {
                try {
                    c.close();
                }
                catch (Exception closeError) {
                    log.debug("closing failed client '{}'", name(), closeError);
                }
            }
            this.client = null;
        }
    }

    private void toolsChanged(List<McpSchema.Tool> newTools) {
        if (status == Status.CLOSED) {
            return;
        }
        this.tools = newTools == null ? List.of() : List.copyOf(newTools);
        log.info("MCP server '{}' changed its tool list: {} tools", name(), tools.size());
        if (status == Status.CONNECTED) {
            toolsListener.accept(this);
        }
    }

    /**
     * Forwards a tools/call to the downstream server and returns its result unchanged. Errors of the
     * downstream server (McpError etc.) are thrown as they come from the SDK.
     */
    public McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request) {
        McpSyncClient c = this.client;
        if (c == null || status != Status.CONNECTED) {
            throw new ServerUnavailableException("MCP server '" + name() + "' is not connected (status "
                    + status.id() + (error != null ? ": " + error : "") + ")");
        }
        return c.callTool(request);
    }

    public McpSchema.CallToolResult callTool(String tool, Map<String, Object> arguments) {
        return callTool(new McpSchema.CallToolRequest(tool, arguments == null ? Map.of() : arguments));
    }

    @Override
    public void close() {
        McpSyncClient c = this.client;
        this.status = Status.CLOSED;
        this.client = null;
        if (c != null) {
            boolean graceful = false;
            try {
                graceful = c.closeGracefully();
            }
            catch (Exception e) {
                log.debug("graceful close of '{}' failed", name(), e);
            }
            if (!graceful) {
                try {
                    c.close();
                }
                catch (Exception e) {
                    log.debug("close of '{}' failed", name(), e);
                }
            }
            log.info("Closed MCP client '{}'", name());
        }
    }

    static McpClientTransport createTransport(HubConfig.ServerConfig config) {
        return createTransport(config, null);
    }

    static McpClientTransport createTransport(HubConfig.ServerConfig config, OAuthClient oauth) {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        switch (config.transport()) {
            case STDIO: {
                ServerParameters params = ServerParameters.builder(config.command())
                    .args(config.args())
                    .env(config.env())
                    .build();
                StdioClientTransport transport = new WorkingDirStdioClientTransport(params, json,
                        config.workingDirectory());
                String name = config.name();
                transport.setStdErrorHandler(line -> log.info("[{} stderr] {}", name, line));
                return transport;
            }
            case STREAMABLE_HTTP: {
                String[] split = splitUrl(config.url());
                HttpClientStreamableHttpTransport.Builder builder = HttpClientStreamableHttpTransport.builder(split[0])
                    .endpoint(split[1])
                    .jsonMapper(json);
                return (oauth == null ? builder : oauth.configure(builder)).build();
            }
            case SSE: {
                String[] split = splitUrl(config.url());
                return HttpClientSseClientTransport.builder(split[0]).sseEndpoint(split[1]).jsonMapper(json).build();
            }
            default:
                throw new IllegalArgumentException("unknown transport " + config.transport());
        }
    }

    /** Splits {@code http://host:port/path?q} into the base URI {@code http://host:port} and {@code /path?q}. */
    static String[] splitUrl(String url) {
        URI uri = URI.create(url);
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path = path + "?" + uri.getRawQuery();
        }
        return new String[] { base, path };
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        int depth = 0;
        while (t != null && depth < 5) {
            String msg = t.getMessage();
            String part = t.getClass().getSimpleName() + (msg != null ? ": " + msg : "");
            if (sb.indexOf(part) < 0) {
                if (sb.length() > 0) {
                    sb.append(" <- ");
                }
                sb.append(part);
            }
            t = t.getCause() == t ? null : t.getCause();
            depth++;
        }
        return sb.toString();
    }

    /** Thrown when a call targets a server that is not connected. */
    public static final class ServerUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ServerUnavailableException(String message) {
            super(message);
        }
    }

    /**
     * The SDK's {@link StdioClientTransport}, starting the child process in a chosen working directory (the
     * config file's directory by default) so that relative paths in {@code args} resolve against it.
     */
    static final class WorkingDirStdioClientTransport extends StdioClientTransport {
        private final Path workingDirectory;

        WorkingDirStdioClientTransport(ServerParameters params, McpJsonMapper jsonMapper, Path workingDirectory) {
            super(params, jsonMapper);
            this.workingDirectory = workingDirectory;
        }

        @Override
        protected ProcessBuilder getProcessBuilder() {
            ProcessBuilder pb = super.getProcessBuilder();
            if (workingDirectory != null) {
                pb.directory(workingDirectory.toFile());
            }
            return pb;
        }
    }
}
