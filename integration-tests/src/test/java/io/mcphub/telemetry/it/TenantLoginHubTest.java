package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup that keeps the owner's password off the hubs: the owner runs {@code setup-db} once, which
 * migrates and gives the tenant's login its password; the hub then runs with that login only, migrates
 * nothing, and stores its calls as that login.
 */
class TenantLoginHubTest extends WithDatabase {
    private static final String TENANT = "login-only";
    private static final String PASSWORD = "tenant-pw-'\"\\";

    @Test
    void setupDbMakesTheTenantsLoginAndAHubRunsWithItAlone(@TempDir Path dir) throws Exception {
        ProcessBuilder setup = new ProcessBuilder(JvmProcess.java(), "-jar", JvmProcess.AGENT_JAR.toString(), "setup-db")
                .redirectErrorStream(true);
        setup.environment().putAll(Map.of("MCP_TELEMETRY_JDBC_URL", db.jdbcUrl(), "POSTGRES_USER", db.adminUser(),
                "POSTGRES_PASSWORD", db.adminPassword(), "MCP_TELEMETRY_TENANT", TENANT, "MCP_HUB_DB_PASSWORD", PASSWORD,
                "MCP_TELEMETRY_METRICS_INTERVAL_MS", "0", "MCP_TELEMETRY_API_ENABLED", "false"));
        Process p = setup.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("mcpt_" + TENANT) && output.contains("MCP_HUB_DB_PASSWORD"), output);
        assertTrue(!output.contains(PASSWORD), "the password is never printed: " + output);
        assertEquals(List.of("t", "f", "f"), Db.rows(db, "SELECT rolpassword IS NOT NULL, rolsuper, rolbypassrls FROM pg_authid "
                + "WHERE rolname = 'mcpt_" + TENANT + "'").get(0));
        long migrations = Long.parseLong(Db.rows(db, "SELECT count(*) FROM mcp_telemetry_schema_history").get(0).get(0));

        Path config = dir.resolve("servers.json");
        try (JvmProcess tools = JvmProcess.javaToolServer("login-tools")) {
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            String args = "tenant=" + TENANT + ",jdbcUrl=" + db.jdbcUrl() + ",postgres.user=mcpt_" + TENANT
                    + ",postgres.password=" + PASSWORD
                    + ",flushIntervalMs=50,metricsIntervalMs=1000,api.port=0";
            try (JvmProcess hub = JvmProcess.hub("login-hub", config, args)) {
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.url()
                            + "/api/servers/tools/tools/add/call")).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"a\": " + i + ", \"b\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                }
                Db.await(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = '" + TENANT + "' AND tool_name = 'add'",
                        r -> r.get(0).get(0).equals("5"), Duration.ofSeconds(60));
                assertEquals("mcpt_" + TENANT, Db.rows(db, "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND application_name LIKE 'mcp-telemetry%'").get(0).get(0),
                        "every connection of the hub's agent is the tenant's login");
                String api = AgentApiServerTest.awaitApiUrl(hub);
                AgentApiServerTest.awaitBody(http, api + "/api/telemetry/executions?server=java-tool-server",
                        b -> b.contains("\"count\":5"));
            }
        }
        assertEquals(String.valueOf(migrations), Db.rows(db, "SELECT count(*) FROM mcp_telemetry_schema_history").get(0).get(0),
                "the hub migrated nothing");
    }
}
