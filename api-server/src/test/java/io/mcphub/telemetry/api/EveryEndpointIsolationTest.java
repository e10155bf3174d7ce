package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import io.mcphub.telemetry.model.StorageLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every endpoint (and so every SQL path behind it), in token mode, with two tenants' data: no token and
 * a wrong token are refused, a tenant's token never shows the other tenant's rows, and asking for the
 * other tenant by parameter is forbidden. The live stream is checked by replaying from the beginning.
 */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class EveryEndpointIsolationTest {
    /** The layout of this run (the static start receives it too). */
    @Parameter
    StorageLayout layout;

    private static ApiFixture f;
    private static String acme;
    private static String globex;

    /** Endpoint and a query that makes it touch as much as it can (wide window, payloads, replay). */
    private static final List<String> ENDPOINTS = List.of(
            "/api/telemetry/dashboard?window=7d",
            "/api/telemetry/servers?window=7d",
            "/api/telemetry/tools?window=7d&limit=500",
            "/api/telemetry/tools?window=7d&server=vault",
            "/api/telemetry/tools?window=7d&server=github",
            "/api/telemetry/executions?limit=500&payloads=true",
            "/api/telemetry/executions?server=vault&tool=hidden",
            "/api/telemetry/executions?server=github",
            "/api/telemetry/errors?window=7d",
            "/api/telemetry/oauth?window=7d",
            "/api/telemetry/api-requests?window=7d",
            "/api/telemetry/metrics?window=7d&metric=jvm.heap.used",
            "/api/telemetry/health",
            "/metrics",
            "/api/telemetry/events?last_event_id=0-0-0");

    /** Strings that exist only in one tenant's data. */
    private static final List<String> GLOBEX_ONLY = List.of("vault", "hidden", "globex-hub", "hub-g", "host-g");
    private static final List<String> ACME_ONLY = List.of("github", "create_issue", "files", "hub-1", "host-a");

    @BeforeParameterizedClassInvocation
    static void start(StorageLayout layout) throws Exception {
        f = ApiFixture.start(ApiSettings.defaults("127.0.0.1", 0, ApiSettings.AuthMode.TOKEN, null)
                .withTiming(Duration.ofMillis(100), Duration.ofMillis(500)).withCacheTtl(Duration.ZERO), layout);
        f.publishSampleFleet();
        acme = f.token(SampleFleet.ACME);
        globex = f.token(SampleFleet.GLOBEX);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    /** The status and (for the never-ending live stream) the first few seconds of the body. */
    private static Answer get(String target, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.server.url() + target)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> r = f.http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (target.contains("/events") && r.statusCode() == 200) {
                StringBuilder sb = new StringBuilder();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                byte[] buf = new byte[8192];
                // the replay arrives first, then "ready": the stream up to it holds all of the replay
                while (!sb.toString().contains("\nevent: ready\n")) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(target + ": no \"ready\" within 30 s after " + sb);
                    }
                    if (in.available() > 0) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    } else {
                        Thread.sleep(50);
                    }
                }
                return new Answer(200, sb.toString());
            }
            return new Answer(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    record Answer(int status, String body) {
    }

    @Test
    void noTokenOrAWrongTokenIsRefusedEverywhere() throws Exception {
        for (String e : ENDPOINTS) {
            for (String token : new String[] {null, "mcpt_nope_nope", "", "Bearer", acme + "x", acme.substring(0, acme.length() - 1),
                    "' OR '1'='1", acme.replace("mcpt_", "mcpt_" + "0")}) {
                Answer a = get(e, token == null ? null : token);
                assertEquals(401, a.status(), e + " with token " + token + " -> " + a.body());
                for (String s : GLOBEX_ONLY) {
                    assertFalse(a.body().contains(s), e + " leaked " + s);
                }
                for (String s : ACME_ONLY) {
                    assertFalse(a.body().contains(s), e + " leaked " + s);
                }
            }
        }
    }

    @Test
    void eachTenantsTokenSeesItsRowsAndNeverTheOthers() throws Exception {
        for (String e : ENDPOINTS) {
            Answer a = get(e, acme);
            Answer g = get(e, globex);
            assertEquals(200, a.status(), e + " -> " + a.body());
            assertEquals(200, g.status(), e + " -> " + g.body());
            for (String s : GLOBEX_ONLY) {
                assertFalse(a.body().contains(s), e + " showed globex's " + s + " to acme: " + a.body());
            }
            for (String s : ACME_ONLY) {
                assertFalse(g.body().contains(s), e + " showed acme's " + s + " to globex: " + g.body());
            }
        }
        // the checks can fail: the data is there for its own tenant
        assertTrue(get("/api/telemetry/servers?window=7d", globex).body().contains("vault"));
        assertTrue(get("/api/telemetry/servers?window=7d", acme).body().contains("github"));
        assertTrue(get("/api/telemetry/events?last_event_id=0-0-0", globex).body().contains("hidden"));
        assertTrue(get("/api/telemetry/events?last_event_id=0-0-0", acme).body().contains("github"));
    }

    @Test
    void askingForTheOtherTenantIsForbiddenEverywhere() throws Exception {
        for (String e : ENDPOINTS) {
            String target = e + (e.contains("?") ? "&" : "?") + "tenant=" + SampleFleet.GLOBEX;
            Answer a = get(target, acme);
            assertEquals(403, a.status(), target + " -> " + a.body());
            for (String s : GLOBEX_ONLY) {
                assertFalse(a.body().contains(s), target + " leaked " + s);
            }
        }
    }
}
