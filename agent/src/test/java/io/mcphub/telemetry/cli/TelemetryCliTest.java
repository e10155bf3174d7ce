package io.mcphub.telemetry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.agent.embedded.TestBinaries;
import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.TelemetryConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return TelemetryCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The command as run in a process with this environment and these system properties. */
    private int runWith(Map<String, String> env, Properties props, String... args) {
        return TelemetryCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> TelemetryConfig.builder(env, props));
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    /** The line of the effective table for {@code key}. */
    private String row(String key) {
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(key + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + key + " in:\n" + out));
    }

    @Test
    void configReferenceListsEverySettingWithItsVariableAndWholeDefault() {
        assertEquals(0, run("config", "--reference"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (ConfigOption o : ConfigOption.values()) {
            assertTrue(text.contains(o.key()) && text.contains(o.env()), o.key());
        }
        assertTrue(text.lines().anyMatch(l -> l.startsWith("postgres.db ") && l.contains("mcp_hub_telemetry")), text);
        assertFalse(text.contains("(see docs)"), text);
    }

    @Test
    void configPrintsTheEffectiveValuesWithTheirSources() {
        assertEquals(0, runWith(Map.of("POSTGRES_HOST", "db.internal", "POSTGRES_PASSWORD", "hunter2"),
                props("mcp.telemetry.poolSize", "4"), "config", "tenant=acme,api.port=0"));
        assertTrue(row("tenant").matches("tenant +acme +agent argument tenant"), row("tenant"));
        assertTrue(row("postgres.host").matches("postgres.host +db.internal +environment variable POSTGRES_HOST"),
                row("postgres.host"));
        assertTrue(row("poolSize").matches("poolSize +4 +system property mcp.telemetry.poolSize"), row("poolSize"));
        assertTrue(row("postgres.db").matches("postgres.db +mcp_hub_telemetry +default"), row("postgres.db"));
        assertTrue(row("postgres.password").matches("postgres.password +\\*\\*\\* +environment variable POSTGRES_PASSWORD"),
                row("postgres.password"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("hunter2"), text);
        assertTrue(text.contains("database:      jdbc:postgresql://db.internal:5432/mcp_hub_telemetry as postgres"), text);
        assertTrue(text.contains("telemetry API: on a free port of 127.0.0.1"), text);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void configSaysWhereTheEmbeddedBinariesWouldBeReadFromOrWhyNot(@TempDir Path dir) {
        Path jar = TestBinaries.jar();
        assertEquals(0, runWith(Map.of("MCP_TELEMETRY_EMBEDDED_BINARIES", jar.toString()), props(), "config"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("binaries:      " + jar), out.toString(StandardCharsets.UTF_8));
        out.reset();
        Path missing = dir.resolve("mcp-telemetry-embedded-postgres.jar");
        assertEquals(0, runWith(Map.of("MCP_TELEMETRY_EMBEDDED_BINARIES", missing.toString()), props(), "config"),
                "informative: a hub with this configuration runs, without its embedded database");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("binaries:      MISSING: embedded PostgreSQL binaries not found: "
                + missing + " (set by environment variable MCP_TELEMETRY_EMBEDDED_BINARIES) does not exist"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void configFlagsAnInvalidValueWithTheSettingValueAndRangeAndFails() {
        assertEquals(1, runWith(Map.of("POSTGRES_PORT", "70000", "MCP_TELEMETRY_RING_SIZE", "1000"), props(), "config"));
        assertTrue(row("postgres.port").matches("postgres.port +70000 +environment variable POSTGRES_PORT +<- INVALID"),
                row("postgres.port"));
        assertFalse(row("tenant").contains("INVALID"), row("tenant"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("error: invalid telemetry setting environment variable POSTGRES_PORT = '70000': "
                + "must be between 1 and 65535"), errors);
        assertTrue(errors.contains("error: invalid telemetry setting environment variable MCP_TELEMETRY_RING_SIZE = "
                + "'1000': must be a power of two"), errors);
    }

    @Test
    void configRefusesAnUnknownSetting() {
        assertEquals(1, runWith(Map.of("MCP_TELEMETRY_TENNANT", "x"), props(), "config"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown telemetry setting: environment variable "
                + "MCP_TELEMETRY_TENNANT"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownCommandPrintsUsageAndFails() {
        assertEquals(2, run("frobnicate"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage:"));
        assertEquals(0, run());
    }

    @Test
    void badCountIsAClearError() {
        assertEquals(2, run("sample", "many"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("count must be a whole number"));
    }
}
