package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import io.mcphub.telemetry.model.StorageLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tokens decide the tenant, and the database's row-level security decides what it sees: the same
 * request with two tenants' tokens returns two disjoint worlds. A token-mode server refuses requests
 * without a token; a wrong or revoked token is 401, asking for another tenant is 403.
 */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class TenantIsolationTest {
    /** The layout of this run (the static start receives it too). */
    @Parameter
    StorageLayout layout;

    private static ApiFixture f;
    private static String acme;
    private static String globex;

    @BeforeParameterizedClassInvocation
    static void start(StorageLayout layout) throws Exception {
        f = ApiFixture.start(ApiSettings.defaults("127.0.0.1", 0, ApiSettings.AuthMode.TOKEN, null)
                .withTiming(Duration.ofMillis(100), Duration.ofMillis(500)), layout);
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

    @Test
    void eachTokenSeesOnlyItsTenant() throws Exception {
        JsonNode acmeServers = f.json("/api/telemetry/servers", acme).get("servers");
        JsonNode globexServers = f.json("/api/telemetry/servers", globex).get("servers");
        assertEquals(3, acmeServers.size());
        assertEquals(1, globexServers.size());
        assertEquals("vault", globexServers.get(0).get("server_name").asText());
        assertFalse(acmeServers.toString().contains("vault"));
        assertEquals(7, f.json("/api/telemetry/executions?limit=500", globex).get("count").asInt());
        assertEquals(109, f.json("/api/telemetry/executions?limit=500", acme).get("count").asInt());
        assertEquals(7, f.json("/api/telemetry/dashboard", globex).at("/executions/calls").asLong());
        assertEquals(SampleFleet.GLOBEX, f.json("/api/telemetry/dashboard", globex).get("tenant").asText());
        String metrics = f.get("/metrics", globex).body();
        assertTrue(metrics.contains("server=\"vault\""), metrics);
        assertFalse(metrics.contains("github"), metrics);
        try (SseReader sse = new SseReader(f.server.url() + "/api/telemetry/events?access_token=" + globex, null, null)) {
            assertEquals(200, sse.status);
            assertEquals(SampleFleet.GLOBEX, ApiFixture.JSON.readTree(sse.await(m -> m.event().equals("ready"),
                    Duration.ofSeconds(10)).data()).get("tenant").asText());
        }
    }

    @Test
    void tokensAreStoredAsHashesOnly() throws Exception {
        try (Connection c = f.db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM api_tokens WHERE position(convert_to('" + acme
                     + "', 'UTF8') in token_hash) > 0 OR token_id = '" + acme + "'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
        // a tenant's login cannot read the table at all
        try (Connection c = f.db.connect(); Statement st = c.createStatement()) {
            st.execute("SET ROLE \"mcpt_" + SampleFleet.ACME + "\"");
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> st.executeQuery("SELECT * FROM api_tokens"));
            assertEquals("42501", e.getSQLState());
        }
    }

    @Test
    void missingWrongRevokedOrForeignTokensAreRefused() throws Exception {
        HttpResponse<String> none = f.get("/api/telemetry/servers", null);
        assertEquals(401, none.statusCode());
        assertEquals("unauthorized", ApiFixture.JSON.readTree(none.body()).get("error").asText());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, f.get("/api/telemetry/servers", "mcpt_nope_nope").statusCode());
        assertEquals(401, f.get("/metrics", null).statusCode());
        HttpResponse<String> foreign = f.get("/api/telemetry/servers?tenant=globex", acme);
        assertEquals(403, foreign.statusCode());
        assertEquals("forbidden", ApiFixture.JSON.readTree(foreign.body()).get("error").asText());
        assertEquals(200, f.get("/api/telemetry/servers?tenant=acme", acme).statusCode());
        String revoked = f.token(SampleFleet.ACME);
        try (Connection c = f.db.connect()) {
            assertTrue(TokenStore.revoke(c, revoked.split("_")[1]));
        }
        assertEquals(401, f.get("/api/telemetry/servers", revoked).statusCode());
        // the page itself holds no data and is served to anyone
        assertEquals(200, f.get("/", null).statusCode());
    }
}
