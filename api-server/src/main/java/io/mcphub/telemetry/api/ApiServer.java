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
import io.mcphub.telemetry.text.SecretScrubber;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry HTTP API on the JDK's built-in HTTP server: JSON endpoints under
 * {@code /api/telemetry/}, the live SSE stream, Prometheus {@code /metrics} and the dashboard page at
 * {@code /}. Three kinds of threads, so that no kind of client can starve another: connection
 * threads read requests and write answers under a time limit ({@link ConnectionThreads}), a few
 * workers with a bounded queue do the database work under a deadline ({@link QueryWorkers}), and
 * live streams have a pool of their own ({@link EventStream}).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    public static final String PREFIX = "/api/telemetry/";
    /**
     * Connections the kernel holds before the server accepts them. The server accepts one per turn of
     * its selector loop, so a burst of hundreds of connects waits here; a full backlog drops connects,
     * which clients see as a stall, so it is sized well above the bursts the server is meant to answer.
     */
    static final int ACCEPT_BACKLOG = 1_024;

    /** An answer ready to be written, or {@link #STREAMING} when a live stream took the exchange over. */
    private record Answer(int status, String contentType, byte[] body) {
    }

    private static final Answer STREAMING = new Answer(0, null, null);
    private static final String JSON = "application/json; charset=utf-8";

    private final ApiSettings settings;
    private final TelemetryDatabase db;
    private final boolean ownsDb;
    private final Authenticator auth;
    private final IoDeadlines deadlines;
    private final ConnectionThreads connections;
    private final QueryWorkers workers;
    private final FeedHub feeds;
    private final EventStream stream;
    private final PrometheusExporter prometheus;
    private final QueryCache dashboardCache;
    private final Map<String, Endpoint> endpoints;
    private final HttpServer server;
    private final byte[] page;

    private ApiServer(ApiSettings settings, TelemetryDatabase db, boolean ownsDb) throws IOException {
        this.settings = settings;
        this.db = db;
        this.ownsDb = ownsDb;
        this.auth = new Authenticator(settings, db);
        this.deadlines = new IoDeadlines();
        this.connections = new ConnectionThreads(settings.connectionThreads(), settings.readTimeout(), deadlines);
        this.workers = new QueryWorkers(settings.threads(), settings.requestQueue(), settings.requestDeadline());
        this.feeds = new FeedHub(db, settings);
        this.stream = new EventStream(feeds, db, settings, deadlines);
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
        enableNoDelay();
        try {
            this.server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), ACCEPT_BACKLOG);
        } catch (IOException e) {
            closeParts();
            throw e;
        }
        server.setExecutor(connections);
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
        TelemetryDatabase db = new TelemetryDatabase(target, Math.max(2, settings.threads()), settings.queryTimeout(),
                settings.digestCacheBytes());
        try {
            return new ApiServer(settings, db, true);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** The merged tool digests this server holds (tests look at what it answered from). */
    DigestCache digests() {
        return db.digests();
    }

    /** The raw minutes this server holds (tests look at what it answered from). */
    RawMinuteCache rawMinutes() {
        return db.rawMinutes();
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

    /**
     * Runs on a connection thread. An IOException (the client went away, or its time ran out) is
     * passed on, so the JDK server closes and forgets the connection.
     */
    private void handle(HttpExchange ex) throws IOException {
        connections.requestRead();
        ExchangeClaim claim = new ExchangeClaim();
        Answer answer;
        try {
            answer = answer(ex, claim);
        } catch (ApiException e) {
            answer = error(ex, e);
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed: {}", ex.getRequestMethod(), SecretScrubber.scrub(ex.getRequestURI().getRawPath()),
                    SecretScrubber.describe(e));
            answer = new Answer(500, JSON, Json.write(Json.object("error", "internal",
                    "message", SecretScrubber.scrub(e.toString()), "status", 500)).getBytes(StandardCharsets.UTF_8));
        }
        if (answer == STREAMING || !claim.take()) {
            return; // a live stream thread has the exchange now
        }
        try (IoDeadlines.Guard writing = connections.writing()) {
            respond(ex, answer);
            ex.close();
        }
    }

    /** The answer to one request; the database work runs on a worker, by the request's deadline. */
    private Answer answer(HttpExchange ex, ExchangeClaim claim) {
        String path = RequestPath.of(ex.getRequestURI());
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new ApiException(405, "method_not_allowed", "only GET is supported", null);
        }
        if (path.equals("/") || path.equals("/index.html")) {
            return new Answer(200, "text/html; charset=utf-8", page);
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
        var headers = ex.getRequestHeaders();
        Authenticator.Caller caller = new Authenticator.Caller(headers.getFirst("Authorization"),
                params.asMap().get("access_token"), ex.getRemoteAddress() == null ? null : ex.getRemoteAddress().getAddress(),
                headers.getFirst("Host"), headers.getFirst("Origin"));
        String rawQuery = ex.getRequestURI().getRawQuery();
        return workers.call(() -> {
            String tenant = auth.tenantOf(caller, params.asMap().get("tenant"));
            if (metrics) {
                params.allow(java.util.Set.of("tenant", "access_token"));
                return new Answer(200, "text/plain; version=0.0.4; charset=utf-8",
                        prometheus.scrape(tenant).getBytes(StandardCharsets.UTF_8));
            }
            if (name.equals("events")) {
                stream.open(ex, tenant, params, claim);
                return STREAMING;
            }
            ApiRequest request = new ApiRequest(tenant, params, db, Instant.now());
            Endpoint endpoint = endpoints.get(name);
            String body = name.equals("dashboard")
                    ? dashboardCache.get(tenant + "\u0000" + rawQuery, () -> Json.write(endpoint.handle(request)))
                    : Json.write(endpoint.handle(request));
            return new Answer(200, JSON, body.getBytes(StandardCharsets.UTF_8));
        });
    }

    private static Answer error(HttpExchange ex, ApiException e) {
        if (e.status() == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mcp-hub-telemetry\"");
        }
        if (e.status() == 503) {
            ex.getResponseHeaders().set("Retry-After", "1");
        }
        if (e.status() >= 500) {
            LOG.debug("{} {} -> {}: {}", ex.getRequestMethod(), SecretScrubber.scrub(ex.getRequestURI().getRawPath()),
                    e.status(), e.getMessage());
        }
        return new Answer(e.status(), JSON, Json.write(Json.object("error", e.code(), "message", e.getMessage(),
                "parameter", e.parameter(), "status", e.status())).getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange ex, Answer answer) throws IOException {
        ex.getResponseHeaders().set("Content-Type", answer.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(answer.status(), head ? -1 : answer.body().length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer.body());
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
        workers.close();
        connections.close();
        deadlines.close();
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
