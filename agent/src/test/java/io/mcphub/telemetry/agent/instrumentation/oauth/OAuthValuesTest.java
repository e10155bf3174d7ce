package io.mcphub.telemetry.agent.instrumentation.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OAuthValuesTest {

    @Test
    void grantTypeComesFromTheFormOnlyAndNothingElseIsKept() {
        assertEquals("client_credentials",
                OAuthValues.grantTypeOfForm("grant_type=client_credentials&client_id=a&client_secret=s3cr3t"));
        assertEquals("refresh_token", OAuthValues.grantTypeOfForm("client_id=a&grant_type=refresh_token&refresh_token=x"));
        assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer",
                OAuthValues.grantTypeOfForm("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=x"));
        assertNull(OAuthValues.grantTypeOfForm("{\"jsonrpc\":\"2.0\",\"grant_type=client_credentials\":1}"));
        assertNull(OAuthValues.grantTypeOfForm("xgrant_type=client_credentials&a=b"));
        assertNull(OAuthValues.grantTypeOfForm("grant_type=<script>&client_id=abc"), "not a grant type token");
        assertNull(OAuthValues.grantTypeOfForm("client_id=a&client_secret=b"));
    }

    @Test
    void queryParametersAreDecodedAndMatchedExactly() {
        assertEquals("a b", OAuthValues.queryParam("code=a+b&state=s", "code"));
        assertEquals("s", OAuthValues.queryParam("code=a+b&state=s", "state"));
        assertNull(OAuthValues.queryParam("xcode=1&codex=2", "code"));
        assertEquals("", OAuthValues.queryParam("code&state=1", "code"));
        assertNull(OAuthValues.queryParam(null, "code"));
    }

    @Test
    void onlyTheOAuthErrorCodeIsReadFromAnErrorBody() {
        assertEquals("invalid_grant", OAuthValues.oauthErrorOf(
                "{\"error_description\":\"code abc123 expired\", \"error\" : \"invalid_grant\"}"));
        assertEquals("invalid_client",
                OAuthValues.oauthErrorOf("{\"error\":\"invalid_client\"}".getBytes(StandardCharsets.UTF_8)));
        assertNull(OAuthValues.oauthErrorOf("{\"error\":\"token tk-123 is bad\"}"), "free text is not a code");
        assertNull(OAuthValues.oauthErrorOf("{\"access_token\":\"x\"}"));
        assertNull(OAuthValues.oauthErrorOf(42));
    }

    @Test
    void flowIdsHashTheStateAndServersNeverCarryUserInfo() {
        String id = OAuthValues.flowIdOfState("state-123");
        assertEquals(id, OAuthValues.flowIdOfState("state-123"));
        assertNotEquals(id, OAuthValues.flowIdOfState("state-124"));
        assertFalse(id.contains("state-123"));
        assertTrue(id.startsWith("st-") && id.length() == 27, id);
        assertNotEquals(OAuthValues.newFlowId(), OAuthValues.newFlowId());
        assertEquals("auth.example:8443", OAuthValues.server(URI.create("https://user:pw@auth.example:8443/token")));
        assertEquals("auth.example", OAuthValues.server(URI.create("https://auth.example/oauth/token")));
        assertTrue(OAuthValues.isTokenPath("/oauth2/token"));
        assertFalse(OAuthValues.isTokenPath("/mcp"));
    }
}
