package io.mcphub.demohub.oauth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Obtains and renews the access token of one OAuth-protected MCP server and puts it on the server's
 * streamable-HTTP transport as {@code Authorization: Bearer}.
 * <p>
 * client_credentials: a token is requested on first use. authorization_code: a user opens
 * {@code /oauth/start?server=<name>}, is redirected to the authorization server (with state and a PKCE S256
 * challenge), which redirects back to {@code /oauth/callback}, where the code is exchanged. A token is renewed
 * with its refresh token when it expired ({@code expires_in}) or the server answered 401; without a usable
 * refresh token client_credentials simply asks again. Tokens, codes and secrets are never logged.
 */
public final class OAuthClient {

    private static final Logger log = LoggerFactory.getLogger(OAuthClient.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_PENDING_AUTHORIZATIONS = 32;

    private final String server;
    private final OAuthConfig config;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SecureRandom random = new SecureRandom();
    private volatile String defaultRedirectUri;
    /** state -> PKCE code verifier of authorizations started but not completed; guarded by {@code this}. */
    private final Map<String, String> pending = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_PENDING_AUTHORIZATIONS;
        }
    };
    private Tokens tokens; // guarded by this

    private record Tokens(String access, String refresh, Instant expiresAt) {
        boolean expired() {
            return expiresAt != null && !Instant.now().isBefore(expiresAt);
        }

        @Override
        public String toString() {
            return "Tokens[expiresAt=" + expiresAt + "]";
        }
    }

    public OAuthClient(String server, OAuthConfig config) {
        this.server = server;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    public String server() {
        return server;
    }

    public OAuthConfig config() {
        return config;
    }

    /** The hub's own callback URL, used when the config names no redirectUri. */
    public void defaultRedirectUri(String uri) {
        this.defaultRedirectUri = uri;
    }

    /** Adds the bearer token to every request of the transport and renews the token on a 401. */
    public HttpClientStreamableHttpTransport.Builder configure(HttpClientStreamableHttpTransport.Builder builder) {
        return builder
            .asyncHttpRequestCustomizer((request, method, uri, body, context) -> Mono.fromCallable(() -> {
                String token = accessToken();
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                return request;
            }).subscribeOn(Schedulers.boundedElastic()))
            .authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync(
                    (request, response, context) -> response.statusCode() == 401
                            && renewAfterUnauthorized(request.headers().firstValue("Authorization").orElse(null))));
    }

    /** A valid access token, obtained or renewed as needed; null while an authorization_code server awaits a user. */
    public synchronized String accessToken() {
        if (tokens != null && !tokens.expired()) {
            return tokens.access();
        }
        if (tokens != null && tokens.refresh() != null) {
            try {
                tokens = requestTokens(form("grant_type", "refresh_token", "refresh_token", tokens.refresh()),
                        tokens.refresh());
                log.info("OAuth token of '{}' refreshed", server);
                return tokens.access();
            }
            catch (OAuthException e) {
                log.warn("OAuth refresh for '{}' failed: {}", server, e.getMessage());
                tokens = null;
            }
        }
        tokens = null;
        if (config.authorizationCode()) {
            return null;
        }
        tokens = requestTokens(form("grant_type", "client_credentials", "scope", config.scope()), null);
        log.info("OAuth token for '{}' obtained (client_credentials)", server);
        return tokens.access();
    }

    /** Called on a 401: renews unless another request already did. True when the request should be retried. */
    synchronized boolean renewAfterUnauthorized(String rejectedAuthorization) {
        if (tokens != null && rejectedAuthorization != null
                && !rejectedAuthorization.equals("Bearer " + tokens.access())) {
            return true;
        }
        if (tokens != null) {
            tokens = new Tokens(tokens.access(), tokens.refresh(), Instant.EPOCH);
        }
        try {
            return accessToken() != null;
        }
        catch (OAuthException e) {
            log.warn("OAuth token renewal for '{}' failed: {}", server, e.getMessage());
            return false;
        }
    }

    /** Starts an authorization_code flow: the URL to send the user to. */
    public synchronized URI startAuthorization() {
        if (!config.authorizationCode()) {
            throw new OAuthException("server '" + server + "' does not use the authorization_code grant");
        }
        String state = randomToken(16);
        String verifier = randomToken(32);
        pending.put(state, verifier);
        String query = form("response_type", "code", "client_id", config.clientId(), "redirect_uri", redirectUri(),
                "scope", config.scope(), "state", state, "code_challenge", s256(verifier),
                "code_challenge_method", "S256");
        String base = config.authorizationUrl();
        return URI.create(base + (base.contains("?") ? "&" : "?") + query);
    }

    public synchronized boolean awaitsCallback(String state) {
        return state != null && pending.containsKey(state);
    }

    /** Exchanges the authorization code returned with {@code state}. */
    public synchronized void completeAuthorization(String state, String code) {
        String verifier = pending.remove(state);
        if (verifier == null) {
            throw new OAuthException("unknown or expired authorization state");
        }
        tokens = requestTokens(form("grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri(),
                "code_verifier", verifier), null);
        log.info("OAuth authorization of '{}' completed", server);
    }

    public synchronized void abandonAuthorization(String state) {
        pending.remove(state);
    }

    private String redirectUri() {
        return config.redirectUri() != null ? config.redirectUri() : defaultRedirectUri;
    }

    private Tokens requestTokens(String grantForm, String previousRefresh) {
        String body = grantForm + "&" + form("client_id", config.clientId(), "client_secret", config.clientSecret());
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.tokenUrl()))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new OAuthException("token endpoint of '" + server + "' unreachable: " + e.getClass().getSimpleName());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException("interrupted while requesting a token for '" + server + "'");
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String error = answer != null && answer.path("error").isString() ? answer.get("error").asString() : "?";
            throw new OAuthException("token endpoint of '" + server + "' answered HTTP " + response.statusCode()
                    + " error=" + error.replaceAll("[^A-Za-z0-9_.-]", "_"));
        }
        if (answer == null || !answer.path("access_token").isString()) {
            throw new OAuthException("token endpoint of '" + server + "' returned no access_token");
        }
        String refresh = answer.path("refresh_token").isString() ? answer.get("refresh_token").asString()
                : previousRefresh;
        Instant expiresAt = answer.path("expires_in").isNumber()
                ? Instant.now().plusSeconds(answer.get("expires_in").asLong()) : null;
        return new Tokens(answer.get("access_token").asString(), refresh, expiresAt);
    }

    private JsonNode parse(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
            return node != null && node.isObject() ? node : null;
        }
        catch (JacksonException e) {
            return null;
        }
    }

    /** {@code k1=v1&k2=v2}, URL-encoded, skipping null values. */
    static String form(String... pairs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
