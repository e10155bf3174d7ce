package io.mcphub.telemetry;

import io.mcphub.telemetry.api.ApiServer;
import io.mcphub.telemetry.api.ApiSettings;
import io.mcphub.telemetry.api.DatabaseTarget;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.json.JsonWriter;
import io.mcphub.telemetry.metrics.InfraMetricsSampler;
import io.mcphub.telemetry.metrics.MetricSample;
import io.mcphub.telemetry.record.ApiRequestRecord;
import io.mcphub.telemetry.record.EventRecord;
import io.mcphub.telemetry.record.ExecutionSide;
import io.mcphub.telemetry.record.HubInstanceRecord;
import io.mcphub.telemetry.record.LogLevel;
import io.mcphub.telemetry.record.LogRecord;
import io.mcphub.telemetry.record.MetricRecord;
import io.mcphub.telemetry.record.MetricScope;
import io.mcphub.telemetry.record.OAuthFlowRecord;
import io.mcphub.telemetry.record.Outcome;
import io.mcphub.telemetry.record.PromptRecord;
import io.mcphub.telemetry.record.ResourceRecord;
import io.mcphub.telemetry.record.ServerRecord;
import io.mcphub.telemetry.record.ServerStatus;
import io.mcphub.telemetry.record.ServerStatusRecord;
import io.mcphub.telemetry.record.TelemetryRecord;
import io.mcphub.telemetry.record.TenantRecord;
import io.mcphub.telemetry.record.ToolExecutionRecord;
import io.mcphub.telemetry.record.ToolRecord;
import io.mcphub.telemetry.record.Transport;
import io.mcphub.telemetry.sink.EmbeddedDatabase;
import io.mcphub.telemetry.sink.PostgresTelemetrySink;
import io.mcphub.telemetry.sink.SinkSettings;
import io.mcphub.telemetry.sink.SinkStats;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry API, mirroring the original Node library: {@code initialize}, {@code registerServer},
 * {@code registerTools}, {@code logToolExecution}, and the other record kinds. Every call only
 * queues a record and returns at once: true when queued, false when the ring was full (the drop is
 * counted and reported). Database trouble never reaches the caller; invalid arguments are reported
 * with an {@link IllegalArgumentException} naming the field.
 */
public final class McpHubTelemetry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpHubTelemetry.class);
    public static final String AGENT_VERSION = "0.1.0";

    private final TelemetryConfig config;
    private final JsonWriter json;
    private final JsonWriter payloadJson;
    private final Map<String, ServerRegistration> servers = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> knownCapabilities = new ConcurrentHashMap<>();
    private volatile PostgresTelemetrySink sink;
    private EmbeddedDatabase embedded;
    private ScheduledExecutorService scheduler;
    private volatile HubInstanceRecord hubRecord;
    private Thread shutdownHook;
    private volatile boolean closed;
    private volatile ApiServer apiServer;

    private McpHubTelemetry(TelemetryConfig config) {
        this.config = config;
        this.json = new JsonWriter(config.redactKeys(), 1_000_000);
        this.payloadJson = new JsonWriter(config.redactKeys(), config.maxPayloadChars());
    }

    public static McpHubTelemetry create(TelemetryConfig config) {
        return new McpHubTelemetry(config);
    }

    /** Configured from the environment and {@code -Dmcp.telemetry.*} properties. */
    public static McpHubTelemetry create() {
        return new McpHubTelemetry(TelemetryConfig.fromEnvironment());
    }

    public TelemetryConfig config() {
        return config;
    }

    /**
     * Connects to the database (starting the embedded one when none is configured), migrates the
     * schema, and records the hub instance. Throws {@code TelemetryStartupException} with a message
     * naming the setting to fix when the database cannot be reached.
     */
    public synchronized McpHubTelemetry initialize(HubInstance instance) {
        openSink();
        try {
            sink.connect(databaseSettings());
        } catch (RuntimeException e) {
            sink.close();
            sink = null;
            stopEmbedded();
            throw e;
        }
        begin(instance);
        startApiServer();
        LOG.info("MCP hub telemetry initialized for tenant {} (instance {})", config.tenant(), config.instanceId());
        return this;
    }

    /**
     * For the agent: returns at once. Records are queued in the ring from now on, while a background
     * thread starts the embedded database if needed and connects, retrying until it succeeds; a
     * failure is logged once with the setting to fix, and nothing reaches the hub.
     */
    public synchronized McpHubTelemetry initializeInBackground(HubInstance instance) {
        openSink();
        begin(instance);
        Thread connector = new Thread(this::connectUntilDone, "mcp-telemetry-connect");
        connector.setDaemon(true);
        connector.start();
        return this;
    }

    private void connectUntilDone() {
        long delayMillis = 2_000;
        boolean reported = false;
        while (!closed) {
            try {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    sink.connect(databaseSettings());
                    startApiServer();
                }
                LOG.info("MCP hub telemetry connected for tenant {} (instance {})", config.tenant(), config.instanceId());
                return;
            } catch (RuntimeException e) {
                if (!reported) {
                    LOG.error("MCP hub telemetry cannot reach its database, will keep trying every {} s at most "
                            + "(records wait in the ring meanwhile): {}", 60, e.getMessage());
                    reported = true;
                } else {
                    LOG.debug("telemetry database still unreachable: {}", e.getMessage());
                }
            }
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                return;
            }
            delayMillis = Math.min(delayMillis * 2, 60_000);
        }
    }

    /**
     * Serves the telemetry API once the database is there. Never fails the hub: a taken port (or a
     * runtime without the JDK's HTTP server) costs one log line and no API.
     */
    private void startApiServer() {
        if (!config.apiEnabled() || apiServer != null || closed) {
            return;
        }
        SinkSettings db = sink.settings();
        ApiSettings.AuthMode mode = config.apiTokensRequired() ? ApiSettings.AuthMode.TOKEN : ApiSettings.AuthMode.LOCAL;
        try {
            apiServer = ApiServer.start(ApiSettings.defaults(config.apiBind(), config.apiPort(), mode, config.tenant()),
                    new DatabaseTarget(db.jdbcUrl(), db.adminUser(), db.adminPassword(), db.appPassword()));
            if (mode == ApiSettings.AuthMode.LOCAL) {
                LOG.info("telemetry API and dashboard on {}/ (local mode: requests from this machine need no token and see "
                        + "tenant {}; set api.auth=token to require tokens)", apiServer.url(), config.tenant());
            } else {
                LOG.info("telemetry API and dashboard on {}/ (API tokens required)", apiServer.url());
            }
        } catch (Throwable e) {
            LOG.warn("telemetry API not started on {}:{} ({}); the hub and its telemetry carry on without it "
                    + "(set api.port, or api.enabled=false)", config.apiBind(), config.apiPort(), e.toString());
        }
    }

    /** The telemetry API server started with this instance, or null (disabled, not connected yet, port taken). */
    public ApiServer apiServer() {
        return apiServer;
    }

    private void openSink() {
        if (sink != null) {
            throw new IllegalStateException("McpHubTelemetry is already initialized");
        }
        if (closed) {
            throw new IllegalStateException("McpHubTelemetry is closed");
        }
        sink = PostgresTelemetrySink.open(sinkSettings(config.useEmbedded() ? "jdbc:postgresql://embedded/"
                + config.postgresDb() : config.jdbcUrl(), config.postgresUser(), config.postgresPassword()));
    }

    /** The database to use, starting the embedded one on first call when none is configured. */
    private SinkSettings databaseSettings() {
        if (!config.useEmbedded()) {
            return sinkSettings(config.jdbcUrl(), config.postgresUser(), config.postgresPassword());
        }
        if (embedded == null) {
            embedded = EmbeddedDatabase.start(config.embeddedDir(), config.embeddedPort(), config.postgresDb());
        }
        return sinkSettings(embedded.jdbcUrl(), EmbeddedDatabase.USER, "");
    }

    private SinkSettings sinkSettings(String jdbcUrl, String user, String password) {
        return SinkSettings.builder(jdbcUrl, user, password)
                .appPassword(config.appPassword())
                .timescaleWanted(config.timescaleWanted())
                .ringSize(config.ringSize())
                .batchSize(config.batchSize())
                .flushInterval(config.flushInterval())
                .poolSize(config.poolSize())
                .retentionDays(config.retentionDays())
                .shutdownTimeout(config.shutdownTimeout())
                .statsTenant(config.tenant())
                .instanceId(config.instanceId())
                .build();
    }

    private void begin(HubInstance instance) {
        Instant now = Instant.now();
        hubRecord = new HubInstanceRecord(config.tenant(), config.instanceId(),
                instance.name() != null ? instance.name() : config.hubName(),
                instance.version() != null ? instance.version() : config.hubVersion(),
                instance.host() != null ? instance.host() : hostName(), instance.port(), ProcessHandle.current().pid(),
                Runtime.version().toString(), AGENT_VERSION, now, now, null, json.write(instance.metadata()));
        publish(new TenantRecord(config.tenant(), null));
        publish(hubRecord);
        startBackgroundWork();
        shutdownHook = new Thread(this::close, "mcp-telemetry-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void stopEmbedded() {
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }

    private void startBackgroundWork() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-telemetry-sampler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::heartbeat, 30, 30, TimeUnit.SECONDS);
        long every = config.metricsInterval().toMillis();
        if (every > 0) {
            InfraMetricsSampler sampler = new InfraMetricsSampler();
            scheduler.scheduleWithFixedDelay(() -> sampleInfrastructure(sampler), Math.min(every, 1_000), every,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void heartbeat() {
        HubInstanceRecord h = hubRecord;
        publish(new HubInstanceRecord(h.tenantId(), h.instanceId(), h.hubName(), h.hubVersion(), h.host(), h.port(),
                h.pid(), h.jvmVersion(), h.agentVersion(), h.startedAt(), Instant.now(), null, h.metadataJson()));
    }

    private void sampleInfrastructure(InfraMetricsSampler sampler) {
        try {
            Instant now = Instant.now();
            for (MetricSample s : sampler.sample()) {
                publish(new MetricRecord(config.tenant(), now, config.instanceId(),
                        MetricScope.valueOf(s.scope().name()), s.name(), s.value()));
            }
        } catch (RuntimeException e) {
            LOG.debug("infrastructure sampling failed: {}", e.toString());
        }
    }

    /** The address the hub serves on, once known (the agent learns it when the hub binds its port). */
    public boolean updateHubAddress(String host, Integer port) {
        HubInstanceRecord h = hubRecord;
        if (h == null) {
            throw new IllegalStateException("McpHubTelemetry.initialize(...) has not been called");
        }
        hubRecord = new HubInstanceRecord(h.tenantId(), h.instanceId(), h.hubName(), h.hubVersion(),
                host != null ? host : h.host(), port != null ? port : h.port(), h.pid(), h.jvmVersion(),
                h.agentVersion(), h.startedAt(), Instant.now(), null, h.metadataJson());
        return publish(hubRecord);
    }

    /** Records a server's registration or state change, with a status-history row and an event. */
    public boolean registerServer(ServerRegistration server) {
        require(server, "server");
        ServerStatus status = server.status() == null ? ServerStatus.CONNECTED : server.status();
        Transport transport = server.transport() == null ? Transport.UNKNOWN : server.transport();
        servers.put(server.name() == null ? "" : server.name(), server);
        Instant now = Instant.now();
        String error = text(server.error());
        boolean queued = publish(new ServerRecord(config.tenant(), server.name(), config.instanceId(), transport,
                SecretScrubber.scrub(server.endpoint()), status, server.serverVersion(), server.protocolVersion(),
                json.write(server.capabilities()), error, now));
        publish(new ServerStatusRecord(config.tenant(), now, server.name(), config.instanceId(), status, error));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("status", status.sqlName());
        payload.put("transport", transport.sqlName());
        payload.put("error", error);
        publish(new EventRecord(config.tenant(), now, config.instanceId(), "server.status", server.name(),
                json.write(payload)));
        return queued;
    }

    /** A known server's new state (e.g. disconnected), keeping its transport and endpoint. */
    public boolean updateServerStatus(String serverName, ServerStatus status, String detail) {
        requireText(serverName, "serverName");
        ServerRegistration known = servers.get(serverName);
        return registerServer(new ServerRegistration(serverName, known == null ? Transport.UNKNOWN : known.transport(),
                known == null ? null : known.endpoint(), status, null, null, null, detail));
    }

    /**
     * The server's complete tool list. Tools missing since the last call are marked removed, and a
     * {@code tools.changed} event lists what was added and removed.
     */
    public boolean registerTools(String serverName, List<ToolInfo> tools) {
        return registerCapabilities("tool", serverName, tools, ToolInfo::name, (t, now) -> new ToolRecord(config.tenant(),
                serverName, t.name(), t.title(), text(t.description()), json.write(t.inputSchema()), now, false),
                (name, now) -> new ToolRecord(config.tenant(), serverName, name, null, null, null, now, true));
    }

    public boolean registerResources(String serverName, List<ResourceInfo> resources) {
        return registerCapabilities("resource", serverName, resources, ResourceInfo::uri, (r, now) -> new ResourceRecord(
                config.tenant(), serverName, r.uri(), r.name(), text(r.description()), r.mimeType(), now, false),
                (uri, now) -> new ResourceRecord(config.tenant(), serverName, uri, null, null, null, now, true));
    }

    public boolean registerPrompts(String serverName, List<PromptInfo> prompts) {
        return registerCapabilities("prompt", serverName, prompts, PromptInfo::name, (p, now) -> new PromptRecord(
                config.tenant(), serverName, p.name(), text(p.description()), json.write(p.arguments()), now, false),
                (name, now) -> new PromptRecord(config.tenant(), serverName, name, null, null, now, true));
    }

    private <T> boolean registerCapabilities(String kind, String serverName, List<T> items, Function<T, String> key,
                                             java.util.function.BiFunction<T, Instant, TelemetryRecord> seen,
                                             java.util.function.BiFunction<String, Instant, TelemetryRecord> removed) {
        requireText(serverName, "serverName");
        require(items, kind + "s");
        Instant now = Instant.now();
        Set<String> current = new LinkedHashSet<>();
        List<TelemetryRecord> records = new ArrayList<>();
        for (T item : items) {
            require(item, kind);
            current.add(key.apply(item));
            records.add(seen.apply(item, now));
        }
        Set<String> previous = knownCapabilities.put(kind + "\u0000" + serverName, current);
        List<String> added = new ArrayList<>(current);
        List<String> gone = new ArrayList<>();
        if (previous != null) {
            added.removeAll(previous);
            for (String name : previous) {
                if (!current.contains(name)) {
                    gone.add(name);
                    records.add(removed.apply(name, now));
                }
            }
        }
        boolean queued = true;
        for (TelemetryRecord r : records) {
            queued &= publish(r);
        }
        if (!added.isEmpty() || !gone.isEmpty()) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("added", added);
            payload.put("removed", gone);
            payload.put("count", current.size());
            queued &= publish(new EventRecord(config.tenant(), now, config.instanceId(), kind + "s.changed", serverName,
                    json.write(payload)));
        }
        return queued;
    }

    public boolean logToolExecution(ToolExecution e) {
        require(e, "execution");
        require(e.duration(), "duration");
        long durationMicros = Math.max(0, e.duration().toNanos() / 1_000);
        if (!config.capturePayloads() || (e.arguments() == null && e.result() == null)) {
            Instant started = e.startedAt();
            long startedMicros = started == null
                    ? Math.multiplyExact(System.currentTimeMillis(), 1_000L) - durationMicros
                    : epochMicros(started);
            return logToolExecution(e.server(), e.tool(), startedMicros, durationMicros, e.outcome(), e.errorClass(),
                    e.errorMessage(), e.argumentBytes() == null ? -1 : e.argumentBytes(),
                    e.resultBytes() == null ? -1 : e.resultBytes(), e.sessionId(), e.requestId(), e.side());
        }
        // payloads are captured: the record carries them
        return publish(new ToolExecutionRecord(config.tenant(), config.instanceId(), e.server(), e.tool(),
                e.startedAt() == null ? Instant.now().minus(e.duration()) : e.startedAt(),
                durationMicros, e.outcome(), e.errorClass(), text(e.errorMessage()),
                e.argumentBytes(), e.resultBytes(), e.sessionId(), e.requestId(),
                payload(e.arguments()), payload(e.result()),
                e.side() == null ? ExecutionSide.DOWNSTREAM : e.side()));
    }

    /**
     * The same as {@link #logToolExecution(ToolExecution)} without payloads, given field by field so that
     * nothing is allocated on the calling thread for a call without an error message (an error message
     * is scrubbed of credentials first, which does allocate). {@code startedAtEpochMicros} counts microseconds since 1970-01-01T00:00Z;
     * sizes below 0 mean unknown; {@code side} null means a downstream call.
     */
    public boolean logToolExecution(String server, String tool, long startedAtEpochMicros, long durationMicros,
                                    Outcome outcome, String errorClass, String errorMessage, int argumentBytes,
                                    int resultBytes, String sessionId, String requestId, ExecutionSide side) {
        return started().publishExecution(config.tenant(), config.instanceId(), server, tool, startedAtEpochMicros,
                Math.max(0, durationMicros), outcome, errorClass, text(errorMessage), argumentBytes, resultBytes, sessionId,
                requestId, side == null ? ExecutionSide.DOWNSTREAM : side);
    }

    /** Microseconds since the epoch, as {@link #logToolExecution(String, String, long, long, Outcome, String, String, int, int, String, String, ExecutionSide)} takes them. */
    public static long epochMicros(Instant t) {
        if (t.getEpochSecond() < 0 || t.getEpochSecond() > ToolExecutionRecord.MAX_STARTED_AT_MICROS / 1_000_000L) {
            throw new IllegalArgumentException("startedAt must lie between years 1970 and 9999, got " + t);
        }
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /**
     * A captured payload: secret-named keys are redacted by the writer, and credentials inside string
     * values (a bearer token in a message, {@code token=} in a URL) are scrubbed like error texts. The
     * writer caps the JSON first, so the scan is bounded.
     */
    private String payload(Object value) {
        String written = payloadJson.write(value);
        return written == null ? null : SecretScrubber.scrub(written);
    }

    public boolean logEvent(String type, String serverName, Map<String, ?> payload) {
        return publish(new EventRecord(config.tenant(), Instant.now(), config.instanceId(), type, serverName,
                json.write(payload)));
    }

    public boolean log(LogLevel level, String logger, String message, Map<String, ?> context) {
        return log(null, level, logger, message, context);
    }

    /** A log line; {@code serverName} set when it came from that server (notifications/message). */
    public boolean log(String serverName, LogLevel level, String logger, String message, Map<String, ?> context) {
        require(message, "message");
        return publish(new LogRecord(config.tenant(), Instant.now(), config.instanceId(), serverName, level, logger,
                text(message), json.write(context)));
    }

    public boolean logOAuthFlow(OAuthFlow flow) {
        require(flow, "flow");
        return publish(new OAuthFlowRecord(config.tenant(), Instant.now(), flow.flowId(), config.instanceId(),
                flow.server(), flow.grantType(), flow.phase(), flow.outcome(),
                flow.duration() == null ? null : flow.duration().toNanos() / 1_000, text(flow.error())));
    }

    public boolean logApiRequest(String method, String route, int status, Duration latency, Long requestBytes,
                                 Long responseBytes) {
        require(latency, "latency");
        return publish(new ApiRequestRecord(config.tenant(), Instant.now(), config.instanceId(), method, route, status,
                Math.max(0, latency.toNanos() / 1_000), requestBytes, responseBytes));
    }

    public boolean recordMetrics(MetricScope scope, Map<String, ? extends Number> values) {
        require(values, "values");
        Instant now = Instant.now();
        boolean queued = true;
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            require(e.getValue(), "value of " + e.getKey());
            queued &= publish(new MetricRecord(config.tenant(), now, config.instanceId(), scope, e.getKey(),
                    e.getValue().doubleValue()));
        }
        return queued;
    }

    /** Waits until everything queued so far is stored; false on timeout (e.g. database down). */
    public boolean flush(Duration timeout) {
        return started().flush(timeout);
    }

    public SinkStats.Snapshot stats() {
        return started().stats();
    }

    public boolean isInitialized() {
        return sink != null && !closed;
    }

    /** Records the hub's stop, writes what is queued (up to the shutdown timeout) and releases everything. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (sink != null && Thread.currentThread() == shutdownHook) {
            awaitQuietBeforeExit();
        }
        if (sink != null) {
            disconnectServersStillConnected();
        }
        closed = true;
        if (sink == null) {
            return;
        }
        ApiServer api = apiServer;
        if (api != null) {
            try {
                api.close();
            } catch (RuntimeException e) {
                LOG.debug("telemetry API close: {}", e.toString());
            }
        }
        HubInstanceRecord h = hubRecord;
        Instant now = Instant.now();
        sink.publish(new HubInstanceRecord(h.tenantId(), h.instanceId(), h.hubName(), h.hubVersion(), h.host(),
                h.port(), h.pid(), h.jvmVersion(), h.agentVersion(), h.startedAt(), now, now, h.metadataJson()));
        sink.close();
        stopEmbedded();
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the JVM is exiting; the hook is this very call or will find us closed
            }
        }
    }

    /**
     * At JVM exit the hub's own shutdown hooks run beside ours, closing its MCP clients — the very
     * disconnects worth recording with their own detail. With our own sampling stopped, wait until nothing
     * new was published for a moment (at most 1 s).
     */
    private void awaitQuietBeforeExit() {
        long deadline = System.nanoTime() + 1_000_000_000L;
        long last = sink.stats().accepted();
        long quietSince = System.nanoTime();
        try {
            while (System.nanoTime() < deadline && System.nanoTime() - quietSince < 250_000_000L) {
                Thread.sleep(50);
                long now = sink.stats().accepted();
                if (now != last) {
                    last = now;
                    quietSince = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A hub that stops ends its connections, whether or not it reported closing them. */
    private void disconnectServersStillConnected() {
        for (ServerRegistration server : List.copyOf(servers.values())) {
            if (server.status() == null || server.status() == ServerStatus.CONNECTED
                    || server.status() == ServerStatus.CONNECTING) {
                updateServerStatus(server.name(), ServerStatus.DISCONNECTED, "hub stopped");
            }
        }
    }

    private boolean publish(TelemetryRecord record) {
        return started().publish(record);
    }

    private PostgresTelemetrySink started() {
        PostgresTelemetrySink s = sink;
        if (s == null) {
            throw new IllegalStateException("McpHubTelemetry.initialize(...) has not been called");
        }
        return s;
    }

    private String text(String s) {
        return SecretScrubber.cap(s, config.maxTextChars());
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be null or blank");
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
