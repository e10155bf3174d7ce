package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * OAuth exchanges of an unmodified hub, recorded by the agent: a token-protected MCP server reached with
 * client_credentials, a rejected client, a refresh after expiry, and authorization_code flows driven like a browser.
 * Every secret in play carries a marker that must appear in no table and not in the hub's log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OAuthFlowsTest {

    private static final String MARKER = "PLANTED7q";
    private static final String ACCESS_TOKEN = "at-" + MARKER + "-access";
    private static final String CLIENT_SECRET = "cs-" + MARKER + "-secret";
    private static final String WRONG_SECRET = "wrong-" + MARKER + "-secret";
    private static final String TENANT = "oauth";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static TestDatabase db;
    private static TestAuthorizationServer as;
    private static JvmProcess tools;
    private static JvmProcess hub;
    private static final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /** Raw state values seen by the "browser": they must not be stored either. */
    private static final List<String> states = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        as = new TestAuthorizationServer(MARKER, ACCESS_TOKEN).client("hub-cc", CLIENT_SECRET).client("hub-ac", null)
                .client("hub-stale", CLIENT_SECRET);
        as.staleClients.add("hub-stale");
        as.expiresInSeconds = 2;
        tools = JvmProcess.javaToolServer("oauth-tools", "--require-token", ACCESS_TOKEN);
        String mcp = tools.url() + "/mcp";
        String token = as.url() + "/oauth/token";
        Path config = dir.resolve("servers.json");
        Files.writeString(config, """
                {"mcpServers": {
                  "cc":  {"url": "%1$s", "oauth": {"tokenUrl": "%2$s", "clientId": "hub-cc", "clientSecret": "%3$s", "scope": "tools"}},
                  "stale": {"url": "%1$s", "oauth": {"tokenUrl": "%2$s", "clientId": "hub-stale", "clientSecret": "%3$s"}},
                  "bad": {"url": "%1$s", "oauth": {"tokenUrl": "%2$s", "clientId": "hub-cc", "clientSecret": "%4$s"}},
                  "ac":  {"url": "%1$s", "oauth": {"tokenUrl": "%2$s", "clientId": "hub-ac", "authorizationUrl": "%5$s"}}
                }}""".formatted(mcp, token, CLIENT_SECRET, WRONG_SECRET, as.url() + "/oauth/authorize"));
        hub = JvmProcess.hub("oauth-hub", config, Db.agentArgs(db, TENANT));
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (tools != null) {
            tools.close();
        }
        if (as != null) {
            as.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    void clientCredentialsTokenLetsTheHubReachTheProtectedServerAndIsRecorded() throws Exception {
        assertTrue(get("/api/servers/cc").body().contains("\"status\":\"connected\""), get("/api/servers/cc").body());
        List<List<String>> rows = Db.await(db, "SELECT flow_id, server_name, duration_us, error FROM oauth_flows"
                + " WHERE tenant_id = '" + TENANT + "' AND phase = 'token' AND grant_type = 'client_credentials'"
                + " AND outcome = 'success'", r -> !r.isEmpty(), WAIT);
        assertEquals(as.hostAndPort(), rows.get(0).get(1));
        assertTrue(Long.parseLong(rows.get(0).get(2)) > 0, rows.toString());
        assertEquals(null, rows.get(0).get(3));
        assertTrue(rows.get(0).get(0).startsWith("fl-"), rows.toString());
    }

    @Test
    @Order(2)
    void aRejectedClientIsAFailureWithTheOAuthErrorCode() throws Exception {
        String bad = get("/api/servers/bad").body();
        assertTrue(bad.contains("\"status\":\"failed\"") && bad.contains("invalid_client"), bad);
        List<List<String>> rows = Db.await(db, "SELECT server_name, error, duration_us FROM oauth_flows WHERE tenant_id = '"
                + TENANT + "' AND phase = 'token' AND grant_type = 'client_credentials' AND outcome = 'failure'",
                r -> !r.isEmpty(), WAIT);
        assertEquals(List.of(as.hostAndPort(), "invalid_client"), rows.get(0).subList(0, 2));
        assertTrue(Long.parseLong(rows.get(0).get(2)) > 0, rows.toString());
    }

    @Test
    @Order(3)
    void anExpiredTokenIsRefreshedAndTheRefreshIsRecorded() throws Exception {
        String refreshes = "SELECT server_name, grant_type, duration_us FROM oauth_flows WHERE tenant_id = '" + TENANT
                + "' AND phase = 'refresh' AND outcome = 'success'";
        int before = Db.rows(db, refreshes).size(); // the "stale" server of the next test refreshed at startup
        int servedBefore = as.served("hub-cc", "refresh_token");
        Thread.sleep(2_100); // the token of "cc" lives 2 s
        HttpResponse<String> call = browser.send(HttpRequest.newBuilder(URI.create(hub.url()
                + "/api/servers/cc/tools/echo/call")).POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, call.statusCode(), call.body());
        assertTrue(call.body().contains("hi"), call.body());
        assertTrue(as.served("hub-cc", "refresh_token") > servedBefore, "the hub refreshed: " + as.grantsServed);
        List<List<String>> rows = Db.await(db, refreshes + " ORDER BY occurred_at DESC", r -> r.size() > before, WAIT);
        assertEquals(List.of(as.hostAndPort(), "refresh_token"), rows.get(0).subList(0, 2));
        assertTrue(Long.parseLong(rows.get(0).get(2)) > 0, rows.toString());
    }

    @Test
    @Order(4)
    void aTokenTheServerRejectsIsRenewedAfterThe401() throws Exception {
        String stale = get("/api/servers/stale").body();
        assertTrue(stale.contains("\"status\":\"connected\""), stale);
        assertEquals(1, as.served("hub-stale", "client_credentials"), as.grantsServed.toString());
        assertTrue(as.served("hub-stale", "refresh_token") >= 1, as.grantsServed.toString());
    }

    @Test
    @Order(5)
    void authorizationCodeFlowRecordsStartCallbackAndTokenUnderOneFlowId() throws Exception {
        assertTrue(get("/api/servers/ac").body().contains("\"status\":\"failed\""), "not authorized yet");
        HttpResponse<String> start = get("/oauth/start?server=ac");
        assertEquals(302, start.statusCode(), start.body());
        String authorize = start.headers().firstValue("Location").orElseThrow();
        String state = TestAuthorizationServer.form(URI.create(authorize).getRawQuery()).get("state");
        assertNotNull(state, authorize);
        states.add(state);
        HttpResponse<String> approved = browser.send(HttpRequest.newBuilder(URI.create(authorize)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, approved.statusCode());
        String callback = approved.headers().firstValue("Location").orElseThrow();
        assertTrue(callback.startsWith(hub.url() + "/oauth/callback?code="), callback);
        HttpResponse<String> done = browser.send(HttpRequest.newBuilder(URI.create(callback)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, done.statusCode(), done.body());

        List<List<String>> rows = Db.await(db, "SELECT flow_id, phase, grant_type, outcome, server_name, error"
                + " FROM oauth_flows WHERE tenant_id = '" + TENANT + "' AND grant_type = 'authorization_code'"
                + " ORDER BY occurred_at", r -> r.size() >= 3, WAIT);
        Set<String> flows = rows.stream().map(r -> r.get(0)).collect(Collectors.toSet());
        assertEquals(1, flows.size(), "one flow id: " + rows);
        String flow = rows.get(0).get(0);
        assertTrue(flow.startsWith("st-") && !flow.contains(state), flow);
        assertEquals(List.of("start", "pending"), List.of(rows.get(0).get(1), rows.get(0).get(3)), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.get(1).equals("token") && r.get(3).equals("success")), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.get(1).equals("callback") && r.get(3).equals("success")), rows.toString());
        assertTrue(rows.stream().allMatch(r -> as.hostAndPort().equals(r.get(4)) && r.get(5) == null), rows.toString());
        // the token really works: the hub reconnects the server with it
        Db.await(db, "SELECT 1", r -> {
            try {
                return get("/api/servers/ac").body().contains("\"status\":\"connected\"");
            } catch (Exception e) {
                return false;
            }
        }, WAIT);
    }

    @Test
    @Order(6)
    void aRefusedAuthorizationAndARejectedCodeAreCallbackFailures() throws Exception {
        String refusedState = startState();
        HttpResponse<String> refused = get("/oauth/callback?error=access_denied&state=" + refusedState);
        assertEquals(400, refused.statusCode(), refused.body());
        String refusedFlow = Db.await(db, "SELECT flow_id, outcome, error FROM oauth_flows WHERE tenant_id = '" + TENANT
                + "' AND phase = 'callback' AND error = 'access_denied'", r -> !r.isEmpty(), WAIT).get(0).get(0);
        assertEquals(1, Db.count(db, "SELECT count(*) FROM oauth_flows WHERE tenant_id = '" + TENANT
                + "' AND phase = 'start' AND flow_id = '" + refusedFlow + "'"), "start and callback share the flow");

        String rejectedState = startState();
        HttpResponse<String> rejected = get("/oauth/callback?code=bogus-" + MARKER + "&state=" + rejectedState);
        assertEquals(502, rejected.statusCode(), rejected.body());
        List<List<String>> rows = Db.await(db, "SELECT phase, outcome, error FROM oauth_flows f WHERE tenant_id = '"
                + TENANT + "' AND phase IN ('callback', 'token') AND outcome = 'failure' AND flow_id IN (SELECT flow_id"
                + " FROM oauth_flows WHERE phase = 'token' AND error = 'invalid_grant') ORDER BY phase",
                r -> r.size() == 2, WAIT);
        assertEquals(List.of(List.of("callback", "failure", "http_502"), List.of("token", "failure", "invalid_grant")),
                rows);
    }

    @Test
    @Order(7)
    void noTokenCodeSecretOrStateIsStoredInAnyTableOrWrittenToTheHubLog() throws Exception {
        List<String> planted = new ArrayList<>(List.of(MARKER.toLowerCase(Locale.ROOT)));
        planted.addAll(states);
        List<List<String>> tables = Db.rows(db, "SELECT table_schema, table_name FROM information_schema.tables"
                + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')");
        assertTrue(tables.size() > 5, tables.toString());
        for (List<String> t : tables) {
            String table = "\"" + t.get(0) + "\".\"" + t.get(1) + "\"";
            for (String secret : planted) {
                assertEquals(0, Db.count(db, "SELECT count(*) FROM " + table + " t WHERE t::text ILIKE '%" + secret
                        + "%'"), secret + " found in " + table);
            }
        }
        // the same search does find what is recorded
        assertTrue(Db.count(db, "SELECT count(*) FROM oauth_flows t WHERE t::text ILIKE '%client_credentials%'") > 0);
        for (String line : hub.output) {
            for (String secret : planted) {
                assertFalse(line.toLowerCase(Locale.ROOT).contains(secret.toLowerCase(Locale.ROOT)),
                        "hub log: " + line);
            }
        }
        assertTrue(hub.output.stream().anyMatch(l -> l.contains("OAuth token for 'cc' obtained")),
                "the log search sees the hub's OAuth lines");
    }

    private static String startState() throws Exception {
        HttpResponse<String> start = get("/oauth/start?server=ac");
        assertEquals(302, start.statusCode(), start.body());
        String state = TestAuthorizationServer.form(URI.create(start.headers().firstValue("Location").orElseThrow())
                .getRawQuery()).get("state");
        states.add(state);
        return state;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(hub.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
