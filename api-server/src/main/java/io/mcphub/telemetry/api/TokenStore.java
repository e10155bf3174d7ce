package io.mcphub.telemetry.api;

import io.mcphub.telemetry.schema.TenantLogins;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * API tokens, managed with the schema owner's connection: {@code mcpt_<id>_<secret>}, of which only
 * the SHA-256 hash of the whole text is stored. The id part names a token for listing and revoking.
 */
public final class TokenStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenStore() {
    }

    /** Creates a token and returns its text, which is never stored and cannot be shown again. */
    public static String create(Connection owner, String tenant, String label, Instant expiresAt) throws SQLException {
        TenantLogins.role(tenant); // validates the name
        // the API reads as the tenant's database role: it must exist before the token is any use
        boolean autoCommit = owner.getAutoCommit();
        owner.setAutoCommit(true);
        try {
            TenantLogins.ensure(owner, tenant, null);
        } finally {
            owner.setAutoCommit(autoCommit);
        }
        String id = random(6);
        String token = "mcpt_" + id + "_" + random(24);
        try (PreparedStatement ps = owner.prepareStatement("INSERT INTO api_tokens (token_id, token_hash, tenant_id, label, expires_at) "
                + "VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setBytes(2, Authenticator.sha256(token));
            ps.setString(3, tenant);
            ps.setString(4, label);
            ps.setTimestamp(5, expiresAt == null ? null : java.sql.Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
        return token;
    }

    public static List<Map<String, Object>> list(Connection owner) throws SQLException {
        return Rows.list(owner, "SELECT token_id, tenant_id, label, created_at, expires_at, revoked_at FROM api_tokens "
                + "ORDER BY tenant_id, created_at");
    }

    /** Revokes by id (the part after {@code mcpt_}); false when no such active token. */
    public static boolean revoke(Connection owner, String tokenId) throws SQLException {
        try (PreparedStatement ps = owner.prepareStatement("UPDATE api_tokens SET revoked_at = now() "
                + "WHERE token_id = ? AND revoked_at IS NULL")) {
            ps.setString(1, tokenId);
            return ps.executeUpdate() == 1;
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', 'x').replace('_', 'y');
    }
}
