package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.api.standalone.ApiServerMain;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.sink.PostgresTelemetrySink;
import io.mcphub.telemetry.sink.SinkSettings;
import io.mcphub.telemetry.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The standalone server for a fleet: it migrates an empty database itself, {@code token create} prints
 * a token once, and that token (not another, not a revoked one) opens its tenant's data.
 */
class StandaloneServerTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ApiServerMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(code, out.toString(StandardCharsets.UTF_8).strip(), err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void migratesIssuesTokensAndServesAFleet() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Map<String, String> env = Map.of("POSTGRES_HOST", db.host(), "POSTGRES_PORT", Integer.toString(db.port()),
                    "POSTGRES_DB", db.name, "POSTGRES_USER", db.adminUser(), "POSTGRES_PASSWORD", db.adminPassword(),
                    "MCP_TELEMETRY_API_PORT", "0", "MCP_TELEMETRY_API_BIND", "127.0.0.1");
            Run created = run(env, "token", "create", "--tenant", "acme", "--label", "grafana");
            assertEquals(0, created.code, created.err);
            assertTrue(created.out.matches("mcpt_[A-Za-z0-9]+_[A-Za-z0-9]+"), created.out);
            assertTrue(created.err.contains("shown once"), created.err);
            String acme = created.out;
            String other = run(env, "token", "create", "--tenant", "globex").out;
            Run list = run(env, "token", "list");
            assertTrue(list.out.contains("\"tenant_id\":\"acme\"") && list.out.contains("\"label\":\"grafana\""), list.out);
            assertTrue(!list.out.contains(acme.substring(12)), "the secret part is never listed");
            assertEquals(2, run(env, "token", "create").code, "usage error without --tenant");
            assertEquals(2, run(env, "frobnicate").code);

            try (PostgresTelemetrySink sink = PostgresTelemetrySink.start(SinkSettings.builder()
                    .flushInterval(Duration.ofMillis(20)).tenant("sink-self").build(), ApiFixture.target(db))) {
                for (TelemetryRecord r : SampleFleet.acme()) {
                    sink.publish(r);
                }
                assertTrue(sink.flush(Duration.ofSeconds(30)));
            }
            ByteArrayOutputStream banner = new ByteArrayOutputStream();
            try (ApiServer server = ApiServerMain.start(env, new PrintStream(banner, true, StandardCharsets.UTF_8))) {
                assertTrue(banner.toString(StandardCharsets.UTF_8).contains("API tokens required"), banner.toString());
                // Without TCP_NODELAY each keep-alive response of the JDK server waits ~40 ms for a delayed ACK.
                assertEquals("true", System.getProperty("sun.net.httpserver.nodelay"));
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/telemetry/servers"))
                        .header("Authorization", "Bearer " + acme).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode(), ok.body());
                assertTrue(ok.body().contains("\"server_name\":\"github\""), ok.body());
                HttpResponse<String> empty = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/telemetry/servers"))
                        .header("Authorization", "Bearer " + other).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("[]", ApiFixture.JSON.readTree(empty.body()).get("servers").toString());
                HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/telemetry/servers"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, anonymous.statusCode(), "token mode: even local requests need a token");
                String otherId = other.split("_")[1];
                assertEquals(0, run(env, "token", "revoke", otherId).code);
                assertEquals(1, run(env, "token", "revoke", otherId).code, "already revoked");
            }
        }
    }
}
