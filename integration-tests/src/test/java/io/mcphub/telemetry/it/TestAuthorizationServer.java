package io.mcphub.telemetry.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OAuth 2 authorization server for tests (JDK HttpServer): {@code POST /oauth/token} for client_credentials,
 * authorization_code (with PKCE S256) and refresh_token, and {@code GET /oauth/authorize}, which approves at once
 * and redirects back with a code. Every code and refresh token it issues contains {@code marker}, so a test can
 * search for them wherever they must not appear.
 */
final class TestAuthorizationServer implements AutoCloseable {

    private final HttpServer server;
    private final String marker;
    private final String accessToken;
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    /** code -> [client id, redirect uri, PKCE challenge] */
    private final Map<String, String[]> codes = new ConcurrentHashMap<>();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    final Map<String, AtomicInteger> grantsServed = new ConcurrentHashMap<>();
    volatile long expiresInSeconds = 3600;
    /** Clients whose client_credentials tokens the resource server rejects; their refreshed tokens are good. */
    final Set<String> staleClients = ConcurrentHashMap.newKeySet();

    TestAuthorizationServer(String marker, String accessToken) throws IOException {
        this.marker = marker;
        this.accessToken = accessToken;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth/token", this::token);
        server.createContext("/oauth/authorize", this::authorize);
        server.start();
    }

    /** Registers a client; a null secret makes it a public client (PKCE only). */
    TestAuthorizationServer client(String id, String secret) {
        clients.put(id, secret == null ? "" : secret);
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        String redirect = q.get("redirect_uri");
        if (redirect == null || !clients.containsKey(q.getOrDefault("client_id", ""))) {
            send(ex, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = "code-" + marker + "-" + counter.incrementAndGet();
        codes.put(code, new String[] {q.get("client_id"), redirect, q.get("code_challenge")});
        String location = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code) + "&state="
                + enc(q.getOrDefault("state", ""));
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void token(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            send(ex, 405, "{\"error\":\"invalid_request\"}");
            return;
        }
        Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String grant = f.getOrDefault("grant_type", "");
        String expectedSecret = clients.get(f.getOrDefault("client_id", ""));
        if (expectedSecret == null || !expectedSecret.equals(f.getOrDefault("client_secret", ""))) {
            send(ex, 400, "{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}");
            return;
        }
        boolean ok = switch (grant) {
            case "client_credentials" -> !expectedSecret.isEmpty();
            case "refresh_token" -> refreshTokens.remove(f.getOrDefault("refresh_token", ""));
            case "authorization_code" -> {
                String[] issued = codes.remove(f.getOrDefault("code", ""));
                yield issued != null && issued[0].equals(f.get("client_id")) && issued[1].equals(f.get("redirect_uri"))
                        && issued[2] != null && issued[2].equals(s256(f.getOrDefault("code_verifier", "")));
            }
            default -> false;
        };
        if (!ok) {
            send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"rejected " + grant + "\"}");
            return;
        }
        String client = f.get("client_id");
        grantsServed.computeIfAbsent(client + ":" + grant, g -> new AtomicInteger()).incrementAndGet();
        String refresh = "rt-" + marker + "-" + counter.incrementAndGet();
        refreshTokens.add(refresh);
        String access = grant.equals("client_credentials") && staleClients.contains(client) ? "stale-" + marker
                : accessToken;
        send(ex, 200, "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + expiresInSeconds + ",\"refresh_token\":\"" + refresh + "\"}");
    }

    int served(String client, String grant) {
        AtomicInteger n = grantsServed.get(client + ":" + grant);
        return n == null ? 0 : n.get();
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
