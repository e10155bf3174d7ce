package io.mcphub.telemetry.config;

import io.mcphub.telemetry.model.StorageLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Resolved, validated settings. Precedence, highest first: agent arguments
 * ({@code -javaagent:agent.jar=key=value,...}), then builder values, then system properties
 * ({@code -Dmcp.telemetry.key=value}), then environment variables, then defaults. An unknown
 * {@code mcp.telemetry.*} property, {@code MCP_TELEMETRY_*} variable or agent argument is an error,
 * so a typo never silently falls back to a default.
 */
public final class TelemetryConfig {

    /** Tenant ids; at most 58 characters so that the login "mcpt_" + tenant fits a 63-byte role name. */
    public static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,57}");
    private static final Pattern AGENT_ARG_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9.]*=.*");

    private final ConfigValues values;
    /** Bounds of {@code metricsIntervalMs} other than 0 (off). */
    public static final long MIN_METRICS_INTERVAL_MS = 1_000;
    public static final long MAX_METRICS_INTERVAL_MS = 3_600_000;

    // Parsed once: hooks read some of these on every call.
    private final int ringSize;
    private final int batchSize;
    private final Duration flushInterval;
    private final int poolSize;
    private final int retentionDays;
    private final Duration shutdownTimeout;
    private final Duration metricsInterval;
    private final boolean capturePayloads;
    private final int maxPayloadChars;
    private final int maxTextChars;
    private final Duration mcpClientRequestTimeout;
    private final Duration mcpClientTimeoutGrace;
    private final List<String> redactKeys;
    private final ServerNameRules serverNames;
    private final boolean timescaleWanted;
    private final StorageLayout storageLayout;
    private final boolean apiEnabled;
    private final int apiPort;
    private final List<String> apiAllowedHosts;
    private final Duration apiReadTimeout;
    private final Duration apiQueryTimeout;
    private final long apiDigestCacheBytes;

    private TelemetryConfig(ConfigValues values) {
        this.values = values;
        List<ConfigException> problems = values.problems();
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
        this.ringSize = intValue(ConfigOption.RING_SIZE);
        this.batchSize = intValue(ConfigOption.BATCH_SIZE);
        this.flushInterval = Duration.ofMillis(intValue(ConfigOption.FLUSH_INTERVAL_MS));
        this.poolSize = intValue(ConfigOption.POOL_SIZE);
        this.retentionDays = intValue(ConfigOption.RETENTION_DAYS);
        this.shutdownTimeout = Duration.ofMillis(intValue(ConfigOption.SHUTDOWN_TIMEOUT_MS));
        this.metricsInterval = Duration.ofMillis(intValue(ConfigOption.METRICS_INTERVAL_MS));
        this.capturePayloads = parseBoolean(ConfigOption.CAPTURE_PAYLOADS);
        this.maxPayloadChars = intValue(ConfigOption.MAX_PAYLOAD_CHARS);
        this.maxTextChars = intValue(ConfigOption.MAX_TEXT_CHARS);
        this.mcpClientRequestTimeout = Duration.ofMillis(intValue(ConfigOption.MCP_CLIENT_REQUEST_TIMEOUT_MS));
        this.mcpClientTimeoutGrace = Duration.ofMillis(intValue(ConfigOption.MCP_CLIENT_TIMEOUT_GRACE_MS));
        this.redactKeys = Arrays.stream(get(ConfigOption.REDACT_KEYS).split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        this.serverNames = ServerNameRules.parse(get(ConfigOption.SERVER_NAMES));
        this.timescaleWanted = parseBoolean(ConfigOption.TIMESCALEDB);
        String layout = get(ConfigOption.STORAGE_LAYOUT).strip().toLowerCase(Locale.ROOT);
        this.storageLayout = layout.equals("auto") ? null : StorageLayout.fromTag(layout);
        this.apiEnabled = parseBoolean(ConfigOption.API_ENABLED);
        this.apiPort = intValue(ConfigOption.API_PORT);
        this.apiAllowedHosts = Arrays.stream(get(ConfigOption.API_ALLOWED_HOSTS).split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        this.apiReadTimeout = Duration.ofMillis(intValue(ConfigOption.API_READ_TIMEOUT_MS));
        this.apiQueryTimeout = Duration.ofMillis(intValue(ConfigOption.API_QUERY_TIMEOUT_MS));
        this.apiDigestCacheBytes = (long) intValue(ConfigOption.API_DIGEST_CACHE_MB) << 20;
    }

    /** Settings from the process environment and system properties. */
    public static TelemetryConfig fromEnvironment() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder(System.getenv(), System.getProperties());
    }

    /** For tests and embedding: explicit environment and properties instead of the process's. */
    public static Builder builder(Map<String, String> env, Properties properties) {
        return new Builder(env, properties);
    }

    public String get(ConfigOption option) {
        return values.get(option);
    }

    public boolean isSet(ConfigOption option) {
        return values.isSet(option);
    }

    public String tenant() {
        return get(ConfigOption.TENANT);
    }

    public String hubName() {
        return get(ConfigOption.HUB_NAME);
    }

    public String hubVersion() {
        return get(ConfigOption.HUB_VERSION);
    }

    public String instanceId() {
        return get(ConfigOption.INSTANCE_ID);
    }

    /** True when no database is configured (or embedded=true): telemetry then runs its own PostgreSQL. */
    public boolean useEmbedded() {
        String mode = get(ConfigOption.EMBEDDED).toLowerCase(Locale.ROOT);
        if (mode.equals("auto")) {
            return !isSet(ConfigOption.POSTGRES_HOST) && !isSet(ConfigOption.JDBC_URL);
        }
        return parseBoolean(ConfigOption.EMBEDDED);
    }

    public Path embeddedDir() {
        return isSet(ConfigOption.EMBEDDED_DIR) ? Path.of(get(ConfigOption.EMBEDDED_DIR))
                : Path.of(System.getProperty("user.home"), ".mcp-hub-telemetry", "postgres");
    }

    /**
     * This hub's spill directory: one per tenant and database, so that what a hub kept for one database
     * is never replayed into another; null when spilling is off ({@code spill.maxMb=0}).
     */
    public Path spillDir() {
        if (spillMaxBytes() == 0) {
            return null;
        }
        Path base = isSet(ConfigOption.SPILL_DIR) ? Path.of(get(ConfigOption.SPILL_DIR))
                : Path.of(System.getProperty("user.home"), ".mcp-hub-telemetry", "spill");
        String database = useEmbedded() ? "embedded-" + shortHash(embeddedDir().toAbsolutePath().normalize().toString())
                : readableDatabase() + "-" + shortHash(jdbcUrl());
        return base.resolve(tenant()).resolve(database);
    }

    /** {@code spill.maxMb} in bytes. */
    public long spillMaxBytes() {
        return (long) intValue(ConfigOption.SPILL_MAX_MB) << 20;
    }

    /** host_port_db of the configured server, for a directory name a person recognises. */
    private String readableDatabase() {
        String url = jdbcUrl().replaceFirst("^jdbc:postgresql://", "").replaceFirst("[?;].*$", "");
        String name = url.replaceAll("[^A-Za-z0-9._-]+", "_");
        return name.length() > 80 ? name.substring(0, 80) : name;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The configured embedded PostgreSQL binaries (a jar or the directory holding it), or null: beside the agent. */
    public Path embeddedBinaries() {
        return isSet(ConfigOption.EMBEDDED_BINARIES) ? Path.of(get(ConfigOption.EMBEDDED_BINARIES).strip()) : null;
    }

    /** Where a setting's value came from ({@code agent argument embedded.binaries}, ...), or null for its default. */
    public String origin(ConfigOption option) {
        return values.origin(option);
    }

    public int embeddedPort() {
        return intValue(ConfigOption.EMBEDDED_PORT);
    }

    /** The JDBC URL of the configured server (not of the embedded one). */
    public String jdbcUrl() {
        if (isSet(ConfigOption.JDBC_URL)) {
            return get(ConfigOption.JDBC_URL);
        }
        return "jdbc:postgresql://" + get(ConfigOption.POSTGRES_HOST) + ":" + intValue(ConfigOption.POSTGRES_PORT) + "/"
                + get(ConfigOption.POSTGRES_DB);
    }

    public String postgresUser() {
        return get(ConfigOption.POSTGRES_USER);
    }

    public String postgresPassword() {
        return get(ConfigOption.POSTGRES_PASSWORD);
    }

    public String postgresDb() {
        return get(ConfigOption.POSTGRES_DB);
    }

    public String appPassword() {
        return get(ConfigOption.APP_PASSWORD);
    }

    public boolean timescaleWanted() {
        return timescaleWanted;
    }

    /** The layout asked for, or null for {@code auto}. */
    public StorageLayout storageLayout() {
        return storageLayout;
    }

    public int ringSize() {
        return ringSize;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    public int poolSize() {
        return poolSize;
    }

    public int retentionDays() {
        return retentionDays;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public Duration metricsInterval() {
        return metricsInterval;
    }

    public boolean capturePayloads() {
        return capturePayloads;
    }

    public int maxPayloadChars() {
        return maxPayloadChars;
    }

    public int maxTextChars() {
        return maxTextChars;
    }

    public Duration mcpClientRequestTimeout() {
        return mcpClientRequestTimeout;
    }

    public Duration mcpClientTimeoutGrace() {
        return mcpClientTimeoutGrace;
    }

    public List<String> redactKeys() {
        return redactKeys;
    }

    /** The operator's names for servers, by endpoint pattern ({@code serverNames}). */
    public ServerNameRules serverNames() {
        return serverNames;
    }

    public boolean apiEnabled() {
        return apiEnabled;
    }

    public int apiPort() {
        return apiPort;
    }

    public String apiBind() {
        return get(ConfigOption.API_BIND).strip();
    }

    /** Host names (lower case) that local mode serves without a token besides loopback and the bind address. */
    public List<String> apiAllowedHosts() {
        return apiAllowedHosts;
    }

    public Duration apiReadTimeout() {
        return apiReadTimeout;
    }

    public Duration apiQueryTimeout() {
        return apiQueryTimeout;
    }

    /** The bytes of merged tool digests the API server may hold (0: none). */
    public long apiDigestCacheBytes() {
        return apiDigestCacheBytes;
    }

    /** Where MCP spans and metrics are exported over OTLP/HTTP; null: no export. */
    public java.net.URI otlpEndpoint() {
        String endpoint = get(ConfigOption.OTLP_ENDPOINT);
        return endpoint == null || endpoint.isBlank() ? null : otlpUri(endpoint);
    }

    public Duration otlpInterval() {
        return Duration.ofMillis(intValue(ConfigOption.OTLP_INTERVAL_MS));
    }

    public Duration otlpTimeout() {
        return Duration.ofMillis(intValue(ConfigOption.OTLP_TIMEOUT_MS));
    }

    /** An OTLP base URL (http or https, a host, no query or fragment); null when it is not one. */
    static java.net.URI otlpUri(String value) {
        try {
            java.net.URI uri = new java.net.URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getQuery() != null
                    || uri.getFragment() != null) {
                return null;
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** True for {@code api.auth=token}: every API request needs a token. */
    public boolean apiTokensRequired() {
        return get(ConfigOption.API_AUTH).strip().equalsIgnoreCase("token");
    }

    /** Every setting with its origin; secrets masked. For the startup log line. */
    public String describe() {
        return Arrays.stream(ConfigOption.values()).filter(o -> values.get(o) != null)
                .map(o -> o.key() + "=" + (o.secret() && isSet(o) ? "***" : values.get(o))
                        + (values.origin(o) != null ? " (" + values.origin(o) + ")" : ""))
                .collect(Collectors.joining(", "));
    }

    private int intValue(ConfigOption option) {
        return values.intValue(option);
    }

    private boolean parseBoolean(ConfigOption option) {
        return values.parseBoolean(option);
    }

    /** Collects values from all sources; {@link #build()} validates. */
    public static final class Builder {
        private final Map<ConfigOption, String> fromEnv = new EnumMap<>(ConfigOption.class);
        private final Map<ConfigOption, String> fromProps = new EnumMap<>(ConfigOption.class);
        private final Map<ConfigOption, String> fromCode = new EnumMap<>(ConfigOption.class);
        private final Map<ConfigOption, String> fromAgent = new EnumMap<>(ConfigOption.class);
        private final Map<ConfigOption, String> defaults = new EnumMap<>(ConfigOption.class);

        private Builder(Map<String, String> env, Properties properties) {
            for (Map.Entry<String, String> e : env.entrySet()) {
                ConfigOption option = ConfigOption.byEnv(e.getKey());
                if (option != null) {
                    fromEnv.put(option, e.getValue());
                } else if (e.getKey().startsWith("MCP_TELEMETRY_")) {
                    throw unknown("environment variable " + e.getKey());
                }
            }
            for (String name : properties.stringPropertyNames()) {
                if (name.startsWith(ConfigOption.PROPERTY_PREFIX)) {
                    ConfigOption option = ConfigOption.byKey(name.substring(ConfigOption.PROPERTY_PREFIX.length()));
                    if (option == null) {
                        throw unknown("system property " + name);
                    }
                    fromProps.put(option, properties.getProperty(name));
                }
            }
        }

        /** Another default for {@code option} (the standalone API server listens on all addresses, with tokens). */
        public Builder defaultValue(ConfigOption option, String value) {
            defaults.put(option, value);
            return this;
        }

        public Builder set(ConfigOption option, String value) {
            fromCode.put(option, value);
            return this;
        }

        public Builder tenant(String tenant) {
            return set(ConfigOption.TENANT, tenant);
        }

        public Builder hubName(String name) {
            return set(ConfigOption.HUB_NAME, name);
        }

        public Builder jdbcUrl(String url, String user, String password) {
            set(ConfigOption.JDBC_URL, url);
            set(ConfigOption.POSTGRES_USER, user);
            return set(ConfigOption.POSTGRES_PASSWORD, password == null ? "" : password);
        }

        /**
         * {@code key=value,key=value}; a value may contain commas when the next part has no '=', and a
         * {@code serverNames} value also goes on through parts whose key is no setting (its entries are
         * {@code name=pattern}).
         */
        public Builder agentArguments(String args) {
            if (args == null || args.isBlank()) {
                return this;
            }
            String pendingKey = null;
            StringBuilder pendingValue = new StringBuilder();
            for (String part : args.split(",", -1)) {
                if (AGENT_ARG_KEY.matcher(part.strip()).matches() && !continuesServerNames(pendingKey, part)) {
                    putAgentArg(pendingKey, pendingValue);
                    int eq = part.indexOf('=');
                    pendingKey = part.substring(0, eq).strip();
                    pendingValue.setLength(0);
                    pendingValue.append(part.substring(eq + 1));
                } else if (pendingKey != null) {
                    pendingValue.append(',').append(part);
                } else {
                    throw new ConfigException("malformed agent argument '" + part + "': expected key=value");
                }
            }
            putAgentArg(pendingKey, pendingValue);
            return this;
        }

        private static boolean continuesServerNames(String pendingKey, String part) {
            return pendingKey != null && ConfigOption.byKey(pendingKey) == ConfigOption.SERVER_NAMES
                    && ConfigOption.byKey(part.substring(0, part.indexOf('=')).strip()) == null;
        }

        private void putAgentArg(String key, StringBuilder value) {
            if (key == null) {
                return;
            }
            ConfigOption option = ConfigOption.byKey(key);
            if (option == null) {
                throw unknown("agent argument " + key);
            }
            fromAgent.put(option, value.toString().strip());
        }

        public TelemetryConfig build() {
            return new TelemetryConfig(resolve(true));
        }

        /**
         * Every setting's effective value and its source, and every problem (not only the first, as
         * {@link #build()} reports): what {@code config} prints.
         */
        public EffectiveConfig effective() {
            ConfigValues values = resolve(false);
            Map<ConfigOption, String> problems = new EnumMap<>(ConfigOption.class);
            List<ConfigException> all = values.problems();
            for (ConfigException e : all) {
                problems.putIfAbsent(e.option(), e.getMessage());
            }
            List<EffectiveConfig.Setting> settings = Arrays.stream(ConfigOption.values())
                    .map(o -> new EffectiveConfig.Setting(o, values.get(o), values.origin(o), problems.get(o))).toList();
            return new EffectiveConfig(settings, all.stream().map(ConfigException::getMessage).toList());
        }

        private ConfigValues resolve(boolean pickInstanceId) {
            Map<ConfigOption, String> values = new EnumMap<>(ConfigOption.class);
            Map<ConfigOption, String> origins = new EnumMap<>(ConfigOption.class);
            for (ConfigOption option : ConfigOption.values()) {
                values.put(option, defaults.getOrDefault(option, option.defaultValue()));
            }
            layer(values, origins, fromEnv, o -> "environment variable " + o.env());
            layer(values, origins, fromProps, o -> "system property " + o.property());
            layer(values, origins, fromCode, o -> "setting " + o.key());
            layer(values, origins, fromAgent, o -> "agent argument " + o.key());
            if (pickInstanceId && values.get(ConfigOption.INSTANCE_ID) == null) {
                values.put(ConfigOption.INSTANCE_ID, randomInstanceId());
            }
            return new ConfigValues(Collections.unmodifiableMap(values), Collections.unmodifiableMap(origins));
        }

        /**
         * A random (version 4) UUID from the system's entropy device. {@code UUID.randomUUID()} would first
         * set up the JDK's SecureRandom and its security providers, ~30 ms of the agent's premain, which a
         * hub's start waits for; reading 16 bytes of /dev/urandom takes microseconds. Elsewhere (Windows),
         * SecureRandom.
         */
        static String randomInstanceId() {
            byte[] b = new byte[16];
            try (java.io.InputStream in = new java.io.FileInputStream("/dev/urandom")) {
                if (in.readNBytes(b, 0, 16) != 16) {
                    throw new java.io.IOException("short read");
                }
            } catch (java.io.IOException | SecurityException e) {
                new java.security.SecureRandom().nextBytes(b);
            }
            b[6] = (byte) ((b[6] & 0x0f) | 0x40);
            b[8] = (byte) ((b[8] & 0x3f) | 0x80);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
            return new java.util.UUID(buf.getLong(), buf.getLong()).toString();
        }

        private static void layer(Map<ConfigOption, String> values, Map<ConfigOption, String> origins,
                                  Map<ConfigOption, String> source, java.util.function.Function<ConfigOption, String> origin) {
            source.forEach((option, value) -> {
                values.put(option, value);
                origins.put(option, origin.apply(option));
            });
        }

        private static ConfigException unknown(String what) {
            return new ConfigException("unknown telemetry setting: " + what + "; known keys are "
                    + Arrays.stream(ConfigOption.values()).map(ConfigOption::key).toList());
        }
    }
}
