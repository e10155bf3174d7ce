package io.mcphub.demohub.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import io.mcphub.demohub.HubConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OAuthConfigTest {

    @TempDir
    Path dir;

    private HubConfig load(String servers) throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"mcpServers\": {" + servers + "}}");
        return HubConfig.load(file);
    }

    @Test
    void remoteServersMayCarryAnOAuthObject() throws Exception {
        HubConfig config = load("\"cc\": {\"url\": \"http://h/mcp\", \"oauth\": {\"tokenUrl\": \"http://as/token\","
                + " \"clientId\": \"c\", \"clientSecret\": \"s3cret\", \"scope\": \"tools\"}},"
                + "\"ac\": {\"url\": \"http://h/mcp\", \"oauth\": {\"tokenUrl\": \"http://as/token\", \"clientId\": \"c\","
                + " \"authorizationUrl\": \"http://as/authorize\"}},"
                + "\"plain\": {\"url\": \"http://h/mcp\"}");
        OAuthConfig cc = config.servers().get(0).oauth();
        assertEquals(new OAuthConfig("http://as/token", "c", "s3cret", "tools", null, null), cc);
        assertFalse(cc.authorizationCode());
        assertFalse(cc.toString().contains("s3cret"), cc.toString());
        assertTrue(config.servers().get(1).oauth().authorizationCode());
        assertNull(config.servers().get(2).oauth());
    }

    @Test
    void incompleteOAuthObjectsAreConfigErrors() {
        assertThrows(HubConfig.ConfigException.class,
                () -> load("\"x\": {\"url\": \"http://h/mcp\", \"oauth\": {\"clientId\": \"c\", \"clientSecret\": \"s\"}}"));
        assertThrows(HubConfig.ConfigException.class,
                () -> load("\"x\": {\"url\": \"http://h/mcp\", \"oauth\": {\"tokenUrl\": \"http://as/t\", \"clientId\": \"c\"}}"));
        assertThrows(HubConfig.ConfigException.class,
                () -> load("\"x\": {\"url\": \"http://h/mcp\", \"oauth\": {\"tokenUrl\": \"ftp://as/t\", \"clientId\": \"c\","
                        + " \"clientSecret\": \"s\"}}"));
        assertThrows(HubConfig.ConfigException.class, () -> load("\"x\": {\"url\": \"http://h/mcp\", \"oauth\": true}"));
    }

    @Test
    void authorizationRequestsCarryStateAndAPkceChallenge() {
        OAuthClient client = new OAuthClient("ac", new OAuthConfig("http://as/token", "hub", null, null,
                "http://as/authorize?tenant=1", null));
        client.defaultRedirectUri("http://127.0.0.1:1/oauth/callback");
        URI uri = client.startAuthorization();
        String q = uri.getRawQuery();
        assertTrue(uri.toString().startsWith("http://as/authorize?tenant=1&response_type=code&client_id=hub&"), q);
        assertTrue(q.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Foauth%2Fcallback"), q);
        assertTrue(q.contains("code_challenge_method=S256"), q);
        String state = q.replaceAll(".*[?&]?state=([^&]+).*", "$1");
        assertTrue(client.awaitsCallback(state));
        assertFalse(client.awaitsCallback("other"));
        // BASE64URL(SHA-256(verifier)) without padding, computed independently (Python hashlib)
        assertEquals("WkCPk1WqhEtpBSc4FsjWb9S3S0xBR6IE8sFuGF_vOkg",
                OAuthClient.s256("dBjftJeZ4CVP-mJ92ZXhz9OrRjzKebu1YHBvWn2cTug"));
    }
}
