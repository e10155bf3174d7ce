package io.mcphub.telemetry.config;

import java.util.Locale;

/**
 * Every setting, with its key (agent argument and {@code -Dmcp.telemetry.<key>}), its environment
 * variable and its default. The README's configuration table mirrors this enum.
 */
public enum ConfigOption {
    TENANT("tenant", "MCP_TELEMETRY_TENANT", "default",
            "tenant the hub's telemetry belongs to (1-58 letters, digits, `.`, `_`, `:`, `-`; its database login is `mcpt_<tenant>`)"),
    HUB_NAME("hubName", "MCP_HUB_NAME", "mcp-hub", "name of this hub in hub_instances"),
    HUB_VERSION("hubVersion", "MCP_HUB_VERSION", null, "version of the hub"),
    INSTANCE_ID("instanceId", "MCP_TELEMETRY_INSTANCE_ID", null, "id of this hub process; random when unset"),
    POSTGRES_HOST("postgres.host", "POSTGRES_HOST", null, "database host; unset (and no jdbcUrl) starts an embedded PostgreSQL"),
    POSTGRES_PORT("postgres.port", "POSTGRES_PORT", "5432", "database port"),
    POSTGRES_DB("postgres.db", "POSTGRES_DB", "mcp_hub_telemetry", "database name; created when missing and allowed"),
    POSTGRES_USER("postgres.user", "POSTGRES_USER", "postgres", "schema owner login (migrations, maintenance)"),
    POSTGRES_PASSWORD("postgres.password", "POSTGRES_PASSWORD", "", "password of POSTGRES_USER"),
    JDBC_URL("jdbcUrl", "MCP_TELEMETRY_JDBC_URL", null, "full JDBC URL, instead of host/port/db"),
    APP_PASSWORD("appPassword", "MCP_HUB_DB_PASSWORD", null,
            "password of the tenant's database login `mcpt_<tenant>` (set by setup-db); the hub then writes as that login (else it logs in as POSTGRES_USER and switches with SET ROLE)"),
    TIMESCALEDB("timescaledb", "TIMESCALEDB_ENABLED", "true",
            "with `storage.layout=auto`: use TimescaleDB when it is installed and preloaded"),
    STORAGE_LAYOUT("storage.layout", "MCP_TELEMETRY_STORAGE_LAYOUT", "auto",
            "`auto` (Citus when the citus extension has workers, else TimescaleDB when available, else plain), `plain`, `timescale` or `citus`; used when a database is first migrated"),
    EMBEDDED("embedded", "MCP_TELEMETRY_EMBEDDED", "auto", "`auto`, `true` or `false`: embedded PostgreSQL"),
    EMBEDDED_DIR("embedded.dir", "MCP_TELEMETRY_EMBEDDED_DIR", null,
            "data directory of the embedded PostgreSQL (default ~/.mcp-hub-telemetry/postgres)"),
    EMBEDDED_PORT("embedded.port", "MCP_TELEMETRY_EMBEDDED_PORT", "54329", "port of the embedded PostgreSQL (0 = any free)"),
    EMBEDDED_BINARIES("embedded.binaries", "MCP_TELEMETRY_EMBEDDED_BINARIES", null,
            "the embedded PostgreSQL's binaries: path of `mcp-telemetry-embedded-postgres.jar` (or of a one-platform `mcp-telemetry-embedded-postgres-<platform>.jar`), or of the directory holding it; default: beside the agent jar (see Embedded PostgreSQL binaries)"),
    RING_SIZE("ringSize", "MCP_TELEMETRY_RING_SIZE", "65536", "ring capacity in records, power of two"),
    BATCH_SIZE("batchSize", "MCP_TELEMETRY_BATCH_SIZE", "2000", "records per COPY batch"),
    FLUSH_INTERVAL_MS("flushIntervalMs", "MCP_TELEMETRY_FLUSH_INTERVAL_MS", "200", "longest a record waits for its batch"),
    POOL_SIZE("poolSize", "MCP_TELEMETRY_POOL_SIZE", "2", "database connections of the sink"),
    RETENTION_DAYS("retentionDays", "MCP_TELEMETRY_RETENTION_DAYS", "30", "days of raw time-series data kept"),
    SHUTDOWN_TIMEOUT_MS("shutdownTimeoutMs", "MCP_TELEMETRY_SHUTDOWN_TIMEOUT_MS", "10000",
            "how long close() (and the hub's exit) keeps writing queued records while the database takes them; nothing is waited for when it cannot (not connected, refusing, not answering)"),
    SPILL_DIR("spill.dir", "MCP_TELEMETRY_SPILL_DIR", null,
            "directory of the spill file, where batches the database cannot take (an outage, the ring running full, an exit while it is down) are kept until it can (default ~/.mcp-hub-telemetry/spill; under it a directory per tenant and database, and a `slot-N` per running process)"),
    SPILL_MAX_MB("spill.maxMb", "MCP_TELEMETRY_SPILL_MAX_MB", "256",
            "largest size of the spill file in MiB (0 to 1048576); 0 switches spilling off"),
    METRICS_INTERVAL_MS("metricsIntervalMs", "MCP_TELEMETRY_METRICS_INTERVAL_MS", "15000",
            "JVM/process/system/container sampling interval: 0 disables sampling, else 1000 to 3600000"),
    CAPTURE_PAYLOADS("capturePayloads", "MCP_TELEMETRY_CAPTURE_PAYLOADS", "false",
            "store tool arguments and results (redacted, capped)"),
    MAX_PAYLOAD_CHARS("maxPayloadChars", "MCP_TELEMETRY_MAX_PAYLOAD_CHARS", "4096", "cap of each stored payload"),
    MAX_TEXT_CHARS("maxTextChars", "MCP_TELEMETRY_MAX_TEXT_CHARS", "16384", "cap of messages and error texts"),
    MCP_CLIENT_REQUEST_TIMEOUT_MS("mcpClient.requestTimeoutMs", "MCP_TELEMETRY_MCP_CLIENT_REQUEST_TIMEOUT_MS", "20000",
            "an MCP call without a response after this long is recorded as timeout, when the SDK's own timeout is unreadable"),
    MCP_CLIENT_TIMEOUT_GRACE_MS("mcpClient.timeoutGraceMs", "MCP_TELEMETRY_MCP_CLIENT_TIMEOUT_GRACE_MS", "200",
            "extra wait past the request timeout before an unanswered call counts as timeout"),
    REDACT_KEYS("redactKeys", "MCP_TELEMETRY_REDACT_KEYS",
            "password,passwd,secret,token,authorization,api_key,apikey,cookie,credential,private_key",
            "JSON keys whose values are replaced by [REDACTED] (case-insensitive, substring)"),
    SERVER_NAMES("serverNames", "MCP_TELEMETRY_SERVER_NAMES", "",
            "your names for MCP servers: `name=pattern` entries, comma-separated; a pattern is a glob (`*`, `?`) over the whole recorded endpoint (command line or URL), e.g. `everything=*server-everything*,java-tools=http://127.0.0.1:9001/*`; the first match wins (see Server names)"),
    OTLP_ENDPOINT("otlp.endpoint", "MCP_TELEMETRY_OTLP_ENDPOINT", null,
            "OTLP/HTTP endpoint (e.g. `http://127.0.0.1:4318`) the MCP spans and duration histograms also go to, at `/v1/traces` and `/v1/metrics` (protobuf); unset: no export (see OpenTelemetry)"),
    OTLP_INTERVAL_MS("otlp.intervalMs", "MCP_TELEMETRY_OTLP_INTERVAL_MS", "5000",
            "longest an execution waits for its OTLP export (100 to 600000; a full batch of 512 goes at once)"),
    OTLP_TIMEOUT_MS("otlp.timeoutMs", "MCP_TELEMETRY_OTLP_TIMEOUT_MS", "10000",
            "longest one OTLP request may take (100 to 600000); what it carried is then dropped and counted"),
    API_ENABLED("api.enabled", "MCP_TELEMETRY_API_ENABLED", "true",
            "serve the telemetry HTTP API and dashboard from the hub process"),
    API_PORT("api.port", "MCP_TELEMETRY_API_PORT", "7077",
            "port of the telemetry API (0 = any free port); when it is taken, a free port is used instead, with a WARN saying so and the URL logged"),
    API_BIND("api.bind", "MCP_TELEMETRY_API_BIND", "127.0.0.1", "address the telemetry API listens on"),
    API_AUTH("api.auth", "MCP_TELEMETRY_API_AUTH", "local",
            "`local`: requests from this machine need no token and see this hub's tenant; `token`: an API token is always required"),
    API_ALLOWED_HOSTS("api.allowedHosts", "MCP_TELEMETRY_API_ALLOWED_HOSTS", "",
            "local mode: further `Host` names (comma-separated) served without a token, besides `localhost`, loopback addresses and `api.bind`"),
    API_READ_TIMEOUT_MS("api.readTimeoutMs", "MCP_TELEMETRY_API_READ_TIMEOUT_MS", "10000",
            "longest a client of the telemetry API may take to send a request's headers and body, or to take one write of the answer; then its connection is closed"),
    API_QUERY_TIMEOUT_MS("api.queryTimeoutMs", "MCP_TELEMETRY_API_QUERY_TIMEOUT_MS", "15000",
            "longest the database work of one API request may take; the request answers `503 query_timeout` by then (plus 1 s), even when the database hangs"),
    API_DIGEST_CACHE_MB("api.digestCacheMb", "MCP_TELEMETRY_API_DIGEST_CACHE_MB", "16",
            "memory (0 to 4096 MB; 0: none) the telemetry API holds merged tool digests in, so that windows over the same hours or days read only the rows written since (a 30-day merge of 500 tools is ~260 KB); least recently used out first");

    public static final String PROPERTY_PREFIX = "mcp.telemetry.";

    private final String key;
    private final String env;
    private final String defaultValue;
    private final String description;

    ConfigOption(String key, String env, String defaultValue, String description) {
        this.key = key;
        this.env = env;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String property() {
        return PROPERTY_PREFIX + key;
    }

    public String env() {
        return env;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Whether the value may appear in logs and error messages. */
    public boolean secret() {
        return this == POSTGRES_PASSWORD || this == APP_PASSWORD || this == JDBC_URL;
    }

    static ConfigOption byKey(String key) {
        for (ConfigOption option : values()) {
            if (option.key.equalsIgnoreCase(key)) {
                return option;
            }
        }
        return null;
    }

    static ConfigOption byEnv(String name) {
        for (ConfigOption option : values()) {
            if (option.env.equals(name.toUpperCase(Locale.ROOT))) {
                return option;
            }
        }
        return null;
    }
}
