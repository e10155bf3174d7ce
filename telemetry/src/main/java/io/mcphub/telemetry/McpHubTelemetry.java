package io.mcphub.telemetry;

import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.json.JsonWriter;
import io.mcphub.telemetry.metrics.InfraMetricsSampler;
import io.mcphub.telemetry.metrics.MetricSample;
import io.mcphub.telemetry.model.ApiRequestRecord;
import io.mcphub.telemetry.model.EventRecord;
import io.mcphub.telemetry.model.LogLevel;
import io.mcphub.telemetry.model.LogRecord;
import io.mcphub.telemetry.model.MetricRecord;
import io.mcphub.telemetry.model.MetricScope;
import io.mcphub.telemetry.model.OAuthFlowRecord;
import io.mcphub.telemetry.model.PromptRecord;
import io.mcphub.telemetry.model.ResourceRecord;
import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.ServerStatusRecord;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.TenantRecord;
import io.mcphub.telemetry.model.ToolCall;
import io.mcphub.telemetry.model.ToolRecord;
import io.mcphub.telemetry.model.Transport;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.sink.CapturedPayloads;
import io.mcphub.telemetry.sink.Origin;
import io.mcphub.telemetry.otlp.OtlpExporter;
import io.mcphub.telemetry.sink.PostgresTelemetrySink;
import io.mcphub.telemetry.sink.RecordSink;
import io.mcphub.telemetry.sink.SinkSettings;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.sink.SinkStats;
import io.mcphub.telemetry.text.SecretScrubber;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry API, mirroring the original Node library: {@code initialize}, {@code registerServer},
 * {@code registerTools}, {@code logToolExecution}, and the other record kinds. Every call only
 * queues a record and returns at once: true when queued, false when the ring was full (the drop is
 * counted and reported). Database trouble never reaches the caller; invalid arguments are reported
 * with an {@link IllegalArgumentException} naming the field.
 *
 * <p>The facade builds records; its parts keep the hub's row ({@link HubPresence}), the servers'
 * states ({@link ServerStates}), the capability lists ({@link CapabilityDiff}), the connection
 * ({@link DatabaseConnector}) and the sampling thread ({@link Sampling}).
 */
public final class McpHubTelemetry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpHubTelemetry.class);
    public static final String AGENT_VERSION = "0.1.0";
    private static final long QUIET_BEFORE_EXIT_NANOS = 250_000_000L;
    private static final long MAX_QUIET_WAIT_NANOS = 1_000_000_000L;

    private final TelemetryConfig config;
    private final Origin origin;
    private final JsonWriter json;
    private final JsonWriter payloadJson;
    private final ServerStates servers = new ServerStates();
    private final CapabilityDiff capabilities = new CapabilityDiff();
    private final HubPresence hub = new HubPresence();
    private final RecordSink sink;
    private final DatabaseConnector connector;
    private final boolean shutdownHook;
    private final Map<String, LongSupplier> selfMetrics = new ConcurrentHashMap<>();
    private final OtlpExporter otlp;
    private Sampling sampling;
    private Thread hook;
    private volatile boolean started;
    private volatile boolean closed;

    private McpHubTelemetry(Builder b) {
        this.config = b.config;
        this.origin = new Origin(config.tenant(), config.instanceId(), config.maxTextChars());
        this.json = new JsonWriter(config.redactKeys(), 1_000_000);
        this.payloadJson = new JsonWriter(config.redactKeys(), config.maxPayloadChars());
        this.shutdownHook = b.shutdownHook;
        if (b.sink != null) {
            this.sink = b.sink;
            this.connector = null;
        } else {
            PostgresTelemetrySink postgres = PostgresTelemetrySink.open(sinkSettings(config));
            this.sink = postgres;
            this.connector = new DatabaseConnector(postgres,
                    b.locator != null ? b.locator : DatabaseLocator.configured(config));
            b.whenConnected.forEach(connector::whenConnected);
        }
        this.otlp = otlpExporter(config, sink);
        if (otlp != null) {
            selfMetrics.put("telemetry.otlp.exported", otlp::exported);
            selfMetrics.put("telemetry.otlp.dropped", otlp::dropped);
        }
    }

    /** The OTLP export of executions when an endpoint is configured: fed by the sink's thread, never the hub's. */
    private static OtlpExporter otlpExporter(TelemetryConfig config, RecordSink sink) {
        if (config.otlpEndpoint() == null || !(sink instanceof PostgresTelemetrySink postgres)) {
            return null;
        }
        OtlpExporter exporter = new OtlpExporter(config.otlpEndpoint(), config.hubName(), config.instanceId(),
                config.tenant(), config.hubVersion(), config.otlpInterval(), config.otlpTimeout());
        postgres.exportExecutionsTo(exporter);
        return exporter;
    }

    /** Writes to the configured PostgreSQL. */
    public static McpHubTelemetry create(TelemetryConfig config) {
        return builder(config).build();
    }

    /** Configured from the environment and {@code -Dmcp.telemetry.*} properties. */
    public static McpHubTelemetry create() {
        return create(TelemetryConfig.fromEnvironment());
    }

    public static Builder builder(TelemetryConfig config) {
        return new Builder(config);
    }

    static SinkSettings sinkSettings(TelemetryConfig config) {
        return SinkSettings.builder()
                .layout(config.storageLayout())
                .timescaleWanted(config.timescaleWanted())
                .ringSize(config.ringSize())
                .batchSize(config.batchSize())
                .flushInterval(config.flushInterval())
                .poolSize(config.poolSize())
                .shutdownTimeout(config.shutdownTimeout())
                .retentionDays(config.retentionDays())
                .tenant(config.tenant())
                .instanceId(config.instanceId())
                .spillDir(config.spillDir())
                .spillMaxBytes(Math.max(1, config.spillMaxBytes()))
                .build();
    }

    public TelemetryConfig config() {
        return config;
    }

    /**
     * Connects to the database, migrates the schema, and records the hub instance. Throws
     * {@code TelemetryStartupException} with a message naming the setting to fix when the database
     * cannot be reached.
     */
    public synchronized McpHubTelemetry initialize(HubInstance instance) {
        requireNotStarted();
        if (connector != null) {
            try {
                connector.connectNow();
            } catch (RuntimeException e) {
                sink.close();
                if (otlp != null) {
                    otlp.close();
                }
                connector.releaseDatabase();
                closed = true;
                throw e;
            }
        }
        begin(instance);
        LOG.info("MCP hub telemetry initialized for tenant {} (instance {})", config.tenant(), config.instanceId());
        return this;
    }

    /**
     * For the agent: returns at once. Records are queued in the ring from now on, while a background
     * thread connects, retrying until it succeeds; a failure is logged once with the setting to fix,
     * and nothing reaches the hub.
     */
    public synchronized McpHubTelemetry initializeInBackground(HubInstance instance) {
        requireNotStarted();
        begin(instance);
        if (connector != null) {
            connector.connectInBackground(config.tenant(), config.instanceId());
        }
        return this;
    }

    private void requireNotStarted() {
        if (closed) {
            throw new IllegalStateException("McpHubTelemetry is closed");
        }
        if (started) {
            throw new IllegalStateException("McpHubTelemetry is already initialized");
        }
    }

    private void begin(HubInstance instance) {
        started = true;
        publish(new TenantRecord(config.tenant(), null));
        publish(hub.start(config.tenant(), config.instanceId(),
                instance.name() != null ? instance.name() : config.hubName(),
                instance.version() != null ? instance.version() : config.hubVersion(), instance.host(), instance.port(),
                AGENT_VERSION, json.write(instance.metadata())));
        sampling = new Sampling(this::heartbeat, config.metricsInterval(), this::sampleInfrastructure);
        if (shutdownHook) {
            hook = new Thread(this::closeAtExit, "mcp-telemetry-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    private void heartbeat() {
        publish(hub.heartbeat());
        if (!selfMetrics.isEmpty()) {
            Instant now = Instant.now();
            selfMetrics.forEach((metric, value) -> publish(new MetricRecord(config.tenant(), now, config.instanceId(),
                    MetricScope.AGENT, metric, value.getAsLong())));
        }
    }

    /**
     * A counter of the telemetry's own (the agent's hooks, say) reported with every heartbeat as an
     * {@code agent} metric, beside the sink's counters.
     */
    public void reportCounter(String metric, LongSupplier value) {
        selfMetrics.put(metric, value);
    }

    private void sampleInfrastructure(InfraMetricsSampler sampler) {
        try {
            Instant now = Instant.now();
            for (MetricSample s : sampler.sample()) {
                publish(new MetricRecord(config.tenant(), now, config.instanceId(), s.scope(), s.name(), s.value()));
            }
        } catch (RuntimeException e) {
            LOG.debug("infrastructure sampling failed: {}", e.toString());
        }
    }

    /** The address the hub serves on, once known (the agent learns it when the hub binds its port). */
    public boolean updateHubAddress(String host, Integer port) {
        return publish(hub.moved(host, port));
    }

    /** Records a server's registration or state change, with a status-history row and an event. */
    public boolean registerServer(ServerRegistration server) {
        require(server, "server");
        requireText(server.name(), "serverName");
        ServerStatus status = server.status() == null ? ServerStatus.CONNECTED : server.status();
        Transport transport = server.transport() == null ? Transport.UNKNOWN : server.transport();
        servers.remember(server);
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
                                             BiFunction<T, Instant, TelemetryRecord> seen,
                                             BiFunction<String, Instant, TelemetryRecord> removed) {
        requireText(serverName, "serverName");
        require(items, kind + "s");
        Instant now = Instant.now();
        List<String> names = new ArrayList<>(items.size());
        List<TelemetryRecord> records = new ArrayList<>(items.size());
        for (T item : items) {
            require(item, kind);
            names.add(key.apply(item));
            records.add(seen.apply(item, now));
        }
        CapabilityDiff.Change change = capabilities.update(kind, serverName, names);
        for (String name : change.removed()) {
            records.add(removed.apply(name, now));
        }
        boolean queued = true;
        for (TelemetryRecord r : records) {
            queued &= publish(r);
        }
        if (!change.isEmpty()) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("added", change.added());
            payload.put("removed", change.removed());
            payload.put("count", change.count());
            queued &= publish(new EventRecord(config.tenant(), now, config.instanceId(), kind + "s.changed", serverName,
                    json.write(payload)));
        }
        return queued;
    }

    /** One tools/call; its arguments and result are stored when payload capture is on. */
    public boolean logToolExecution(ToolExecution e) {
        require(e, "execution");
        return logToolCall(e, e.arguments(), e.result());
    }

    /**
     * One tools/call given as any {@link ToolCall} (the agent's in-flight calls are one): nothing is
     * allocated on the calling thread unless payloads are captured. The call object is handed to the
     * writer as it is and must not change afterwards.
     */
    public boolean logToolCall(ToolCall call, Object arguments, Object result) {
        if (call == null) {
            throw new IllegalArgumentException("execution must not be null");
        }
        CapturedPayloads payloads = config.capturePayloads() && (arguments != null || result != null)
                ? new CapturedPayloads(payload(arguments), payload(result)) : null;
        return started().publishExecution(origin, call, payloads);
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

    /** The storage layout of the connected database; null before it is connected or with another sink. */
    public StorageLayout storageLayout() {
        return sink instanceof PostgresTelemetrySink postgres ? postgres.layout() : null;
    }

    public boolean isInitialized() {
        return started && !closed;
    }

    /** Records the hub's stop, writes what is queued (up to the shutdown timeout) and releases everything. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * {@link #close()} from a JVM shutdown hook. The hub's own shutdown hooks run beside it, closing
     * its MCP clients — the very disconnects worth recording with their own detail — so while a server
     * is still connected it first waits until nothing new was published for a moment (at most 1 s),
     * with its own sampling stopped; not when no server is connected any more (nothing is left to
     * wait for: a hub without MCP connections, or one whose hooks closed them, exits at once), and not
     * when the database cannot take records anyway (not connected, unreachable, not answering).
     */
    public void closeAtExit() {
        close(true);
    }

    private synchronized void close(boolean atExit) {
        if (closed) {
            return;
        }
        if (sampling != null) {
            sampling.close();
        }
        if (connector != null) {
            if (started) {
                connector.awaitOwnDatabase(config.shutdownTimeout());
            }
            connector.stop();
        }
        // waiting for the hub's own shutdown hooks' records is worth it only when they can be stored
        if (started && atExit && sink.writable()) {
            awaitQuiet();
        }
        if (started) {
            for (ServerRegistration server : servers.stillConnected()) {
                updateServerStatus(server.name(), ServerStatus.DISCONNECTED, "hub stopped");
            }
            sink.publish(hub.stopped());
        }
        closed = true;
        sink.close();
        if (otlp != null) {
            otlp.close(); // after the sink: its last executions are queued by then; bounded
        }
        if (connector != null) {
            connector.releaseDatabase();
        }
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the JVM is exiting; the hook is this very call or will find us closed
            }
        }
    }

    /** Until the connected servers' disconnects are in, or nothing was published for a moment. */
    private void awaitQuiet() {
        long deadline = System.nanoTime() + MAX_QUIET_WAIT_NANOS;
        long last = sink.stats().accepted();
        long quietSince = System.nanoTime();
        try {
            while (System.nanoTime() < deadline && System.nanoTime() - quietSince < QUIET_BEFORE_EXIT_NANOS
                    && sink.writable() && !servers.stillConnected().isEmpty()) {
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

    private boolean publish(TelemetryRecord record) {
        return started().publish(record);
    }

    private RecordSink started() {
        if (!started) {
            throw new IllegalStateException("McpHubTelemetry.initialize(...) has not been called");
        }
        return sink;
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

    /** How a {@link McpHubTelemetry} is put together. */
    public static final class Builder {
        private final TelemetryConfig config;
        private DatabaseLocator locator;
        private RecordSink sink;
        private boolean shutdownHook = true;
        private final List<Consumer<DatabaseTarget>> whenConnected = new ArrayList<>();

        private Builder(TelemetryConfig config) {
            this.config = require(config, "config");
        }

        /** Where the database is (default: the configured server). */
        public Builder database(DatabaseLocator value) {
            locator = value;
            return this;
        }

        /** Records go to this sink instead of PostgreSQL (tests, embedding). */
        public Builder sink(RecordSink value) {
            sink = value;
            return this;
        }

        /** Runs once the database is connected and migrated (the agent starts its API server there). */
        public Builder whenConnected(Consumer<DatabaseTarget> action) {
            whenConnected.add(action);
            return this;
        }

        /** Whether the instance closes itself at JVM exit (default true; the agent orders its own shutdown). */
        public Builder shutdownHook(boolean value) {
            shutdownHook = value;
            return this;
        }

        public McpHubTelemetry build() {
            return new McpHubTelemetry(this);
        }
    }
}
