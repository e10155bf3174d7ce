package io.mcphub.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TelemetryConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void anUnsetInstanceIdIsARandomVersion4UuidPerBuild() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            String id = TelemetryConfig.builder(Map.of(), props()).build().instanceId();
            java.util.UUID uuid = java.util.UUID.fromString(id);
            assertEquals(id, uuid.toString());
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            ids.add(id);
        }
        assertEquals(100, ids.size(), "all distinct");
        assertEquals("hub-7", TelemetryConfig.builder(Map.of(), props(ConfigOption.INSTANCE_ID.property(), "hub-7")).build().instanceId());
    }

    @Test
    void defaultsWithNothingConfiguredMeanEmbeddedDatabase() {
        TelemetryConfig c = TelemetryConfig.builder(Map.of(), props()).build();
        assertEquals("default", c.tenant());
        assertTrue(c.useEmbedded());
        assertEquals(65_536, c.ringSize());
        assertTrue(c.timescaleWanted());
        assertFalse(c.capturePayloads());
        assertTrue(c.redactKeys().contains("authorization"));
        assertTrue(c.embeddedDir().toString().endsWith(".mcp-hub-telemetry/postgres"));
    }

    @Test
    void originalEnvironmentNamesConfigureTheServer() {
        TelemetryConfig c = TelemetryConfig.builder(Map.of("POSTGRES_HOST", "db.internal", "POSTGRES_PORT", "6543",
                "POSTGRES_DB", "hub", "POSTGRES_USER", "owner", "POSTGRES_PASSWORD", "pw", "MCP_HUB_DB_PASSWORD", "app",
                "TIMESCALEDB_ENABLED", "false"), props()).build();
        assertFalse(c.useEmbedded());
        assertEquals("jdbc:postgresql://db.internal:6543/hub", c.jdbcUrl());
        assertEquals("owner", c.postgresUser());
        assertEquals("app", c.appPassword());
        assertFalse(c.timescaleWanted());
    }

    @Test
    void precedenceIsAgentArgumentsThenCodeThenPropertiesThenEnvironment() {
        Map<String, String> env = Map.of("MCP_TELEMETRY_TENANT", "from-env", "MCP_TELEMETRY_BATCH_SIZE", "10",
                "MCP_TELEMETRY_POOL_SIZE", "3", "MCP_TELEMETRY_RETENTION_DAYS", "7");
        Properties p = props("mcp.telemetry.tenant", "from-prop", "mcp.telemetry.batchSize", "20",
                "mcp.telemetry.poolSize", "4");
        TelemetryConfig c = TelemetryConfig.builder(env, p).set(ConfigOption.TENANT, "from-code")
                .set(ConfigOption.BATCH_SIZE, "30").agentArguments("tenant=from-agent").build();
        assertEquals("from-agent", c.tenant());
        assertEquals(30, c.batchSize());
        assertEquals(4, c.poolSize());
        assertEquals(7, c.retentionDays());
        assertTrue(c.describe().contains("tenant=from-agent (agent argument tenant)"), c.describe());
    }

    @Test
    void agentArgumentValuesMayContainCommas() {
        TelemetryConfig c = TelemetryConfig.builder(Map.of(), props())
                .agentArguments("redactKeys=password,token,ssn,tenant=acme,ringSize=1024").build();
        assertEquals(List.of("password", "token", "ssn"), c.redactKeys());
        assertEquals("acme", c.tenant());
        assertEquals(1_024, c.ringSize());
    }

    @Test
    void unknownSettingsAreErrorsNamingThem() {
        ConfigException prop = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of(), props("mcp.telemetry.ringsise", "8")).build());
        assertTrue(prop.getMessage().contains("system property mcp.telemetry.ringsise"), prop.getMessage());
        ConfigException env = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of("MCP_TELEMETRY_TENNANT", "x"), props()).build());
        assertTrue(env.getMessage().contains("MCP_TELEMETRY_TENNANT"), env.getMessage());
        ConfigException arg = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of(), props()).agentArguments("apiPrt=9").build());
        assertTrue(arg.getMessage().contains("agent argument apiPrt"), arg.getMessage());
        assertThrows(ConfigException.class, () -> TelemetryConfig.builder(Map.of(), props()).agentArguments("justtext"));
    }

    @Test
    void otlpExportIsOffUnlessAnHttpEndpointIsGiven() {
        TelemetryConfig off = TelemetryConfig.builder(Map.of(), props()).build();
        assertEquals(null, off.otlpEndpoint());
        assertEquals(java.time.Duration.ofSeconds(5), off.otlpInterval());
        TelemetryConfig on = TelemetryConfig.builder(Map.of("MCP_TELEMETRY_OTLP_ENDPOINT", "http://collector:4318/"),
                props()).build();
        assertEquals(java.net.URI.create("http://collector:4318/"), on.otlpEndpoint());
        for (String bad : new String[] {"collector:4318", "ftp://collector", "http://collector:4318/?x=1", "http://"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> TelemetryConfig.builder(Map.of("MCP_TELEMETRY_OTLP_ENDPOINT", bad), props()).build(), bad);
            assertTrue(e.getMessage().contains("MCP_TELEMETRY_OTLP_ENDPOINT"), e.getMessage());
        }
        assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of(), props()).agentArguments("otlp.timeoutMs=5").build());
    }

    @Test
    void badValuesNameTheSettingAndWhereItCameFrom() {
        ConfigException port = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of("POSTGRES_PORT", "70000"), props()).build());
        assertEquals("invalid telemetry setting environment variable POSTGRES_PORT = '70000': must be between 1 and 65535",
                port.getMessage());
        ConfigException notNumber = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of(), props("mcp.telemetry.postgres.port", "five")).build());
        assertTrue(notNumber.getMessage().contains("system property mcp.telemetry.postgres.port"));
        ConfigException ring = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of(), props()).agentArguments("ringSize=1000").build());
        assertTrue(ring.getMessage().contains("power of two"), ring.getMessage());
        ConfigException bool = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of("TIMESCALEDB_ENABLED", "maybe"), props()).build());
        assertTrue(bool.getMessage().contains("TIMESCALEDB_ENABLED"), bool.getMessage());
        ConfigException tenant = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of(), props()).tenant("a b").build());
        assertTrue(tenant.getMessage().contains("tenant"), tenant.getMessage());
        ConfigException url = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of(), props()).jdbcUrl("jdbc:mysql://x/y", "u", "p").build());
        assertTrue(url.getMessage().contains("jdbc:postgresql:"), url.getMessage());
        ConfigException binaries = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of("MCP_TELEMETRY_EMBEDDED_BINARIES", "pg\0.jar"), props()).build());
        assertTrue(binaries.getMessage().startsWith("invalid telemetry setting environment variable "
                + "MCP_TELEMETRY_EMBEDDED_BINARIES = 'pg\0.jar': must be a file or directory path"), binaries.getMessage());
    }

    @Test
    void theApiDigestCacheIsMegabytesUpTo4096AndZeroHoldsNone() {
        assertEquals(16L << 20, TelemetryConfig.builder(Map.of(), props()).build().apiDigestCacheBytes());
        assertEquals(0, TelemetryConfig.builder(Map.of("MCP_TELEMETRY_API_DIGEST_CACHE_MB", "0"), props()).build()
                .apiDigestCacheBytes());
        assertEquals(4_096L << 20, TelemetryConfig.builder(Map.of(), props("mcp.telemetry.api.digestCacheMb", "4096")).build()
                .apiDigestCacheBytes(), "no int overflow at the top of the range");
        ConfigException tooMuch = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of("MCP_TELEMETRY_API_DIGEST_CACHE_MB", "4097"), props()).build());
        assertEquals("invalid telemetry setting environment variable MCP_TELEMETRY_API_DIGEST_CACHE_MB = '4097': "
                + "must be between 0 and 4096", tooMuch.getMessage());
        ConfigException negative = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of(), props()).agentArguments("api.digestCacheMb=-1").build());
        assertTrue(negative.getMessage().contains("api.digestCacheMb"), negative.getMessage());
    }

    @Test
    void embeddedBinariesAreAPathWhoseExistenceIsCheckedOnlyWhenTheyAreNeeded() {
        assertNull(TelemetryConfig.builder(Map.of(), props()).build().embeddedBinaries());
        TelemetryConfig c = TelemetryConfig.builder(Map.of(), props("mcp.telemetry.embedded.binaries", " /nowhere/pg.jar "))
                .build();
        assertEquals(Path.of("/nowhere/pg.jar"), c.embeddedBinaries());
        assertEquals("system property mcp.telemetry.embedded.binaries", c.origin(ConfigOption.EMBEDDED_BINARIES));
    }

    @Test
    void metricsIntervalIsOffOrAtLeastASecondAndTheMessageNamesTheSettingAndTheBound() {
        ConfigException tooOften = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of(), props()).agentArguments("metricsIntervalMs=1").build());
        assertEquals("invalid telemetry setting agent argument metricsIntervalMs = '1': must be 0 (no sampling) or "
                + "between 1000 and 3600000 ms: sampling more often than once a second costs the hub CPU and fills "
                + "infra_metrics", tooOften.getMessage());
        ConfigException fromEnv = assertThrows(ConfigException.class, () -> TelemetryConfig.builder(
                Map.of("MCP_TELEMETRY_METRICS_INTERVAL_MS", "999"), props()).build());
        assertTrue(fromEnv.getMessage().contains("environment variable MCP_TELEMETRY_METRICS_INTERVAL_MS"), fromEnv.getMessage());
        ConfigException tooRare = assertThrows(ConfigException.class,
                () -> TelemetryConfig.builder(Map.of(), props("mcp.telemetry.metricsIntervalMs", "3600001")).build());
        assertTrue(tooRare.getMessage().contains("between 0 and 3600000"), tooRare.getMessage());
        assertEquals(0, TelemetryConfig.builder(Map.of(), props()).agentArguments("metricsIntervalMs=0").build()
                .metricsInterval().toMillis(), "0 turns sampling off");
        assertEquals(1_000, TelemetryConfig.builder(Map.of(), props()).agentArguments("metricsIntervalMs=1000").build()
                .metricsInterval().toMillis());
    }

    @Test
    void secretsNeverAppearInDescriptionsOrErrors() {
        TelemetryConfig c = TelemetryConfig.builder(Map.of("POSTGRES_PASSWORD", "hunter2", "MCP_HUB_DB_PASSWORD", "s3cret",
                "POSTGRES_HOST", "h"), props()).build();
        assertFalse(c.describe().contains("hunter2"));
        assertFalse(c.describe().contains("s3cret"));
        ConfigException url = assertThrows(ConfigException.class, () -> TelemetryConfig.builder(Map.of(), props())
                .jdbcUrl("jdbc:mysql://x/y?password=topsecret", "u", "p").build());
        assertFalse(url.getMessage().contains("topsecret"), url.getMessage());
    }

    private static EffectiveConfig.Setting setting(EffectiveConfig effective, ConfigOption option) {
        return effective.settings().stream().filter(s -> s.option() == option).findFirst().orElseThrow();
    }

    @Test
    void theEffectiveSettingsNameEachValuesSource() {
        EffectiveConfig e = TelemetryConfig.builder(Map.of("POSTGRES_HOST", "db.internal", "MCP_TELEMETRY_BATCH_SIZE", "10"),
                props("mcp.telemetry.poolSize", "4")).set(ConfigOption.RETENTION_DAYS, "7")
                .agentArguments("tenant=acme").effective();
        assertTrue(e.valid(), e.problems().toString());
        assertEquals(ConfigOption.values().length, e.settings().size());
        assertEquals("environment variable POSTGRES_HOST", setting(e, ConfigOption.POSTGRES_HOST).shownSource());
        assertEquals("db.internal", setting(e, ConfigOption.POSTGRES_HOST).shown());
        assertEquals("system property mcp.telemetry.poolSize", setting(e, ConfigOption.POOL_SIZE).shownSource());
        assertEquals("setting retentionDays", setting(e, ConfigOption.RETENTION_DAYS).shownSource());
        assertEquals("agent argument tenant", setting(e, ConfigOption.TENANT).shownSource());
        assertEquals("acme", setting(e, ConfigOption.TENANT).shown());
        assertEquals("default", setting(e, ConfigOption.POSTGRES_DB).shownSource());
        assertEquals("mcp_hub_telemetry", setting(e, ConfigOption.POSTGRES_DB).shown(), "the value, not '(see docs)'");
        assertEquals("(random per process)", setting(e, ConfigOption.INSTANCE_ID).shown());
    }

    @Test
    void theEffectiveSettingsMaskSecrets() {
        EffectiveConfig e = TelemetryConfig.builder(Map.of("POSTGRES_PASSWORD", "hunter2", "MCP_TELEMETRY_JDBC_URL",
                "jdbc:postgresql://db/x?user=o&password=s3cret"), props()).effective();
        assertEquals("***", setting(e, ConfigOption.POSTGRES_PASSWORD).shown());
        assertEquals("-", setting(e, ConfigOption.APP_PASSWORD).shown());
        assertTrue(setting(e, ConfigOption.JDBC_URL).shown().startsWith("jdbc:postgresql://db/x"));
        assertFalse(setting(e, ConfigOption.JDBC_URL).shown().contains("s3cret"), setting(e, ConfigOption.JDBC_URL).shown());
    }

    @Test
    void everyInvalidValueIsFlaggedWithItsSettingValueAndRange() {
        TelemetryConfig.Builder b = TelemetryConfig.builder(Map.of("POSTGRES_PORT", "70000"),
                props("mcp.telemetry.ringSize", "1000"));
        EffectiveConfig e = b.effective();
        String port = "invalid telemetry setting environment variable POSTGRES_PORT = '70000': must be between 1 and 65535";
        assertEquals(List.of(port, "invalid telemetry setting system property mcp.telemetry.ringSize = '1000': must be a "
                + "power of two (e.g. 16384, 65536)"), e.problems());
        assertFalse(e.valid());
        assertEquals(port, setting(e, ConfigOption.POSTGRES_PORT).problem());
        assertEquals("70000", setting(e, ConfigOption.POSTGRES_PORT).shown());
        assertEquals(null, setting(e, ConfigOption.TENANT).problem());
        assertEquals(port, assertThrows(ConfigException.class, b::build).getMessage(), "build refuses with the first");
    }
}
