package io.mcphub.telemetry.api;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the tenant of a request. A bearer token ({@code Authorization: Bearer ...}, or
 * {@code access_token=} for EventSource, which cannot send headers) is hashed with SHA-256 and looked
 * up through {@code mcp_telemetry_resolve_token}; answers are cached for a few seconds so a busy
 * dashboard does not cost a round trip per request (a revoked token stops working within that time).
 */
final class Authenticator {
    private static final long CACHE_MILLIS = 10_000;
    private static final int CACHE_MAX = 10_000;

    private record Cached(String tenant, long until) {
    }

    /** What a request says about who sends it. */
    record Caller(String authorization, String queryToken, InetAddress remote, String host, String origin) {
    }

    private final ApiSettings settings;
    private final TelemetryDatabase db;
    private final LocalModeGuard localGuard;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    Authenticator(ApiSettings settings, TelemetryDatabase db) {
        this.settings = settings;
        this.db = db;
        this.localGuard = new LocalModeGuard(settings);
    }

    String tenantOf(Caller caller, String requestedTenant) {
        String token = bearer(caller.authorization());
        if (token == null) {
            token = caller.queryToken();
        }
        InetAddress remote = caller.remote();
        String tenant;
        if (token != null) {
            tenant = resolve(token);
            if (tenant == null) {
                throw ApiException.unauthorized("invalid, expired or revoked API token");
            }
        } else if (settings.authMode() == ApiSettings.AuthMode.LOCAL) {
            if (remote == null || !remote.isLoopbackAddress()) {
                throw ApiException.unauthorized("an API token is required for requests not from this machine "
                        + "(Authorization: Bearer <token>)");
            }
            // without a token the request is served on the strength of coming from this machine: not for a page
            localGuard.check(caller.host(), caller.origin());
            tenant = settings.localTenant();
        } else {
            throw ApiException.unauthorized("an API token is required (Authorization: Bearer <token>)");
        }
        if (requestedTenant != null && !requestedTenant.equals(tenant)) {
            if (token == null) {
                // no token was wrong: one is missing, as for any request a token must decide
                throw ApiException.unauthorized("an API token of tenant '" + requestedTenant + "' is required "
                        + "(Authorization: Bearer <token>); without one, requests from this machine see tenant '"
                        + tenant + "' only");
            }
            throw ApiException.forbidden("this token belongs to another tenant than '" + requestedTenant + "'");
        }
        return tenant;
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.strip();
        if (a.length() > 7 && a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return a.substring(7).strip();
        }
        throw ApiException.unauthorized("the Authorization header must be 'Bearer <token>'");
    }

    private String resolve(String token) {
        if (token.isEmpty() || token.length() > 256) {
            return null;
        }
        byte[] hash = sha256(token);
        String key = java.util.HexFormat.of().formatHex(hash);
        long now = System.currentTimeMillis();
        Cached hit = cache.get(key);
        if (hit != null && hit.until > now) {
            return hit.tenant;
        }
        String tenant = db.plain(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT mcp_telemetry_resolve_token(?)")) {
                ps.setBytes(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        if (cache.size() >= CACHE_MAX) {
            cache.clear();
        }
        cache.put(key, new Cached(tenant, now + CACHE_MILLIS));
        return tenant;
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
