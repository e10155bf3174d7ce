package io.mcphub.telemetry.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mcphub.telemetry.api.live.EventStream;
import io.mcphub.telemetry.api.live.FeedHub;
import io.mcphub.telemetry.api.prometheus.PrometheusExporter;
import io.mcphub.telemetry.api.query.ApiRequestsQuery;
import io.mcphub.telemetry.api.query.DashboardQuery;
import io.mcphub.telemetry.api.query.ErrorsQuery;
import io.mcphub.telemetry.api.query.ExecutionsQuery;
import io.mcphub.telemetry.api.query.HealthQuery;
import io.mcphub.telemetry.api.query.InfraMetricsQuery;
import io.mcphub.telemetry.api.query.OAuthQuery;
import io.mcphub.telemetry.api.query.ServersQuery;
import io.mcphub.telemetry.api.query.ToolsQuery;
import io.mcphub.telemetry.schema.DatabaseTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry HTTP API on the JDK's built-in HTTP server: JSON endpoints under
 * {@code /api/telemetry/}, the live SSE stream, Prometheus {@code /metrics} and the dashboard page at
 * {@code /}. Requests run on a small bounded pool; SSE clients on their own bounded pool.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    public static final String PREFIX = "/api/telemetry/";

    private final ApiSettings settings;
    private final TelemetryDatabase db;
    private final boolean ownsDb;
    private final Authenticator auth;
    private final FeedHub feeds;
    private final EventStream stream;
    private final PrometheusExporter prometheus;
    private final QueryCache dashboardCache;
    private final Map<String, Endpoint> endpoints;
    private final ThreadPoolExecutor workers;
    private final HttpServer server;
    private final byte[] page;

    private ApiServer(ApiSettings settings, TelemetryDatabase db, boolean ownsDb) throws IOException {
        this.settings = settings;
        this.db = db;
        this.ownsDb = ownsDb;
        this.auth = new Authenticator(settings, db);
        this.feeds = new FeedHub(db, settings);
        this.stream = new EventStream(feeds, db, settings);
        this.prometheus = new PrometheusExporter(db, feeds, stream);
        this.dashboardCache = new QueryCache(settings.dashboardCacheTtl());
        this.page = resource("dashboard.html");
        this.endpoints = Map.of(
                "dashboard", new DashboardQuery()::handle,
                "servers", new ServersQuery()::handle,
                "tools", new ToolsQuery()::handle,
                "executions", new ExecutionsQuery()::handle,
                "errors", new ErrorsQuery()::handle,
                "oauth", new OAuthQuery()::handle,
                "api-requests", new ApiRequestsQuery()::handle,
                "metrics", new InfraMetricsQuery()::handle,
                "health", new HealthQuery()::handle);
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256), r -> {
                    Thread t = new Thread(r, "mcp-telemetry-api-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        enableNoDelay();
        try {
            this.server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 128);
        } catch (IOException e) {
            closeParts();
            throw e;
        }
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * The JDK server writes a response's headers and body as two segments; without TCP_NODELAY, Nagle's
     * algorithm holds the body until the client acknowledges the headers, and clients delay that
     * acknowledgement by ~40 ms: every keep-alive request took 40 ms more (measured: p50 48 ms, with it
     * 2.6 ms). The JDK reads the switch once, when its server classes first load; a value the JVM was
     * started with is left alone, and so, once loaded, is a server the hub itself started before.
     */
    static void enableNoDelay() {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    /** Starts a server with its own database pool. Throws IOException when the port cannot be bound. */
    public static ApiServer start(ApiSettings settings, DatabaseTarget target) throws IOException {
        TelemetryDatabase db = new TelemetryDatabase(target, Math.max(2, settings.threads()));
        try {
            return new ApiServer(settings, db, true);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port();
    }

    public EventStream stream() {
        return stream;
    }

    private void handle(HttpExchange ex) {
        boolean streaming = false;
        try {
            streaming = serve(ex);
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        } finally {
            if (!streaming) {
                ex.close();
            }
        }
    }

    /** Answers one request; true when an SSE client thread took the exchange over. */
    private boolean serve(HttpExchange ex) throws IOException {
        {
            String path = ex.getRequestURI().getPath();
            try {
                if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD");
                    throw new ApiException(405, "method_not_allowed", "only GET is supported", null);
                }
                if (path.equals("/") || path.equals("/index.html")) {
                    respond(ex, 200, "text/html; charset=utf-8", page);
                    return false;
                }
                Params params = Params.parse(ex.getRequestURI().getRawQuery());
                boolean metrics = path.equals("/metrics");
                if (!metrics && !path.startsWith(PREFIX)) {
                    throw ApiException.notFound(path);
                }
                String name = metrics ? "prometheus" : path.substring(PREFIX.length());
                if (!metrics && !name.equals("events") && !endpoints.containsKey(name)) {
                    throw ApiException.notFound(path);
                }
                String tenant = auth.tenantOf(ex.getRequestHeaders().getFirst("Authorization"), params.asMap().get("access_token"),
                        ex.getRemoteAddress() == null ? null : ex.getRemoteAddress().getAddress(), params.asMap().get("tenant"));
                if (metrics) {
                    params.allow(java.util.Set.of("tenant", "access_token"));
                    respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                            prometheus.scrape(tenant).getBytes(StandardCharsets.UTF_8));
                    return false;
                }
                if (name.equals("events")) {
                    stream.open(ex, tenant, params);
                    return true;
                }
                ApiRequest request = new ApiRequest(tenant, params, db, Instant.now());
                Endpoint endpoint = endpoints.get(name);
                String body = name.equals("dashboard")
                        ? dashboardCache.get(tenant + "\u0000" + ex.getRequestURI().getRawQuery(),
                                () -> Json.write(endpoint.handle(request)))
                        : Json.write(endpoint.handle(request));
                respond(ex, 200, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
                return false;
            } catch (ApiException e) {
                if (e.status() == 401) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mcp-hub-telemetry\"");
                }
                if (e.status() >= 500) {
                    LOG.debug("{} {} -> {}: {}", ex.getRequestMethod(), path, e.status(), e.getMessage());
                }
                respond(ex, e.status(), "application/json; charset=utf-8", Json.write(Json.object("error", e.code(),
                        "message", e.getMessage(), "parameter", e.parameter(), "status", e.status())).getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                LOG.warn("{} {} failed", ex.getRequestMethod(), path, e);
                respond(ex, 500, "application/json; charset=utf-8", Json.write(Json.object("error", "internal",
                        "message", e.toString(), "status", 500)).getBytes(StandardCharsets.UTF_8));
            }
            return false;
        }
    }

    private static void respond(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " missing from the API server jar");
            }
            return in.readAllBytes();
        }
    }

    private void closeParts() {
        stream.close();
        feeds.close();
        workers.shutdownNow();
        if (ownsDb) {
            db.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        closeParts();
        LOG.info("telemetry API server on port {} stopped", port());
    }
}
