package io.mcphub.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.agent.AgentRuntime;
import io.mcphub.telemetry.agent.embedded.EmbeddedBinaries;
import io.mcphub.telemetry.agent.embedded.EmbeddedDatabase;
import io.mcphub.telemetry.agent.embedded.TestBinaries;
import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.model.MetricScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no database configured, telemetry runs a real embedded PostgreSQL whose data survives restarts. */
class EmbeddedDefaultTest {

    @Test
    void noDatabaseConfiguredStartsAnEmbeddedPostgresKeepingDataAcrossRestarts(@TempDir Path home) throws Exception {
        Path dataDir = home.resolve("pg");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TelemetryConfig config = TelemetryConfig.builder(Map.of(), new Properties())
                .set(ConfigOption.EMBEDDED_DIR, dataDir.toString())
                .set(ConfigOption.EMBEDDED_PORT, Integer.toString(port))
                .set(ConfigOption.EMBEDDED_BINARIES, TestBinaries.jar().toString())
                .set(ConfigOption.METRICS_INTERVAL_MS, "0")
                .tenant("solo").build();
        assertTrue(config.useEmbedded());
        for (int run = 1; run <= 2; run++) {
            try (McpHubTelemetry telemetry = AgentRuntime.telemetry(config).build()) {
                telemetry.initialize(HubInstance.of("hub", "1", 1));
                telemetry.recordMetrics(MetricScope.PROCESS, Map.of("run", run));
                assertTrue(telemetry.flush(Duration.ofSeconds(30)));
            }
        }
        assertTrue(Files.exists(dataDir.resolve("postgresql.conf")), "data directory initialised where configured");
        // Started a third time to read what the two runs left behind.
        try (var db = EmbeddedDatabase.start(EmbeddedBinaries.find(config), dataDir, port, "mcp_hub_telemetry");
             Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(value::int::text, ',' ORDER BY value) FROM infra_metrics "
                     + "WHERE metric = 'run'")) {
            rs.next();
            assertEquals("1,2", rs.getString(1));
        }
    }
}
