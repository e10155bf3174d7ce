package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Local mode against DNS rebinding: a page of {@code attacker.example}, whose name the attacker then
 * points at 127.0.0.1, makes the browser send requests from this machine with {@code Host:
 * attacker.example}; without a token they must not be answered with data. Nor may a page of another
 * origin read the API ({@code Origin}). A token still opens the API whatever the Host.
 */
class LocalModeHostTest {
    private static final List<String> DATA_PATHS = List.of("/api/telemetry/dashboard", "/api/telemetry/executions",
            "/api/telemetry/health", "/metrics", "/api/telemetry/events");
    private static ApiFixture f;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        f = ApiFixture.start(ApiFixture.localSettings(SampleFleet.ACME).withAllowedHosts(List.of("Hub.Example")));
        f.publishSampleFleet();
        port = f.server.port();
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aForeignHostGets421NamingTheRuleAndNoData() throws Exception {
        for (String path : DATA_PATHS) {
            for (String host : List.of("attacker.example:" + port, "attacker.example", "127.0.0.1.nip.io:" + port,
                    "localhost.attacker.example:" + port, "[::2]:" + port)) {
                RawHttp.Reply r = RawHttp.get(port, path, "Host: " + host);
                assertEquals(421, r.status(), path + " Host " + host + " -> " + r.body());
                assertTrue(r.body().contains("\"error\":\"misdirected_request\""), r.body());
                assertTrue(r.body().contains("api.allowedHosts") && r.body().contains("Host"), "names the rule: " + r.body());
                assertFalse(r.body().contains("github"), "no data: " + r.body());
            }
        }
        System.out.printf("RELIABILITY local-host: %d paths x 5 foreign Host values -> 421%n", DATA_PATHS.size());
    }

    @Test
    void loopbackNamesTheBindAddressAndAllowedHostsAreServed() throws Exception {
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "localhost.:" + port,
                "127.0.0.2:" + port, "[::1]:" + port, "hub.example:" + port, "localhost")) {
            RawHttp.Reply r = RawHttp.get(port, "/api/telemetry/servers", "Host: " + host);
            assertEquals(200, r.status(), host + " -> " + r.body());
            assertTrue(r.body().contains("github"), r.body());
        }
        RawHttp.Reply sameOrigin = RawHttp.get(port, "/api/telemetry/servers", "Host: 127.0.0.1:" + port,
                "Origin: http://127.0.0.1:" + port);
        assertEquals(200, sameOrigin.status(), "the dashboard's own origin: " + sameOrigin.body());
    }

    @Test
    void aCrossOriginReadIsRefused() throws Exception {
        for (String origin : List.of("http://attacker.example:" + port, "http://attacker.example", "null",
                "http://localhost:3000", "https://127.0.0.1:" + port, "http://127.0.0.1:" + (port + 1))) {
            for (String path : DATA_PATHS) {
                RawHttp.Reply r = RawHttp.get(port, path, "Host: 127.0.0.1:" + port, "Origin: " + origin);
                assertEquals(403, r.status(), path + " Origin " + origin + " -> " + r.body());
                assertTrue(r.body().contains("cross-origin"), r.body());
                assertFalse(r.body().contains("github"), r.body());
            }
        }
    }

    @Test
    void aTokenIsServedWhateverTheHost() throws Exception {
        String token = f.token(SampleFleet.ACME);
        RawHttp.Reply r = RawHttp.get(port, "/api/telemetry/servers", "Host: attacker.example:" + port,
                "Authorization: Bearer " + token);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("github"), r.body());
        RawHttp.Reply wrong = RawHttp.get(port, "/api/telemetry/servers", "Host: attacker.example:" + port,
                "Authorization: Bearer mcpt_nope_nope");
        assertEquals(401, wrong.status(), wrong.body());
    }

    @Test
    void anotherTenantWithoutATokenAsksForAToken() throws Exception {
        RawHttp.Reply r = RawHttp.get(port, "/api/telemetry/servers?tenant=globex", "Host: 127.0.0.1:" + port);
        assertEquals(401, r.status(), r.body());
        assertTrue(r.body().contains("\"error\":\"unauthorized\""), r.body());
        assertTrue(r.body().contains("an API token of tenant 'globex' is required"), r.body());
        assertTrue(r.body().contains("see tenant '" + SampleFleet.ACME + "' only"), r.body());
        assertFalse(r.body().contains("belongs to another tenant"), "no token was sent: " + r.body());
        assertFalse(r.body().contains("vault"), "no data: " + r.body());
        assertTrue(String.valueOf(r.header("WWW-Authenticate")).startsWith("Bearer"), r.headers().toString());
        RawHttp.Reply own = RawHttp.get(port, "/api/telemetry/servers?tenant=" + SampleFleet.ACME, "Host: 127.0.0.1:" + port);
        assertEquals(200, own.status(), own.body());
    }

    @Test
    void theDashboardPageHoldsNoDataAndIsServedToAnyHost() throws Exception {
        RawHttp.Reply page = RawHttp.get(port, "/", "Host: attacker.example:" + port);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("MCP Hub Telemetry"));
    }
}
