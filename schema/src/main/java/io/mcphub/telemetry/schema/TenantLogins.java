package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.config.TelemetryConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database login of each tenant, {@code mcpt_<tenant>}: member of {@code mcp_tenant} (which holds
 * the grants), never superuser, never bypassing row-level security, creating nothing. Made and given
 * its password by the schema owner (setup-db, the token command, a hub that has the owner's login);
 * the owner becomes a member so that it may read and write as the tenant with {@code SET ROLE}.
 */
public final class TenantLogins {

    public static final String PREFIX = "mcpt_";
    public static final String GROUP = "mcp_tenant";

    private TenantLogins() {
    }

    /** The login role of {@code tenant}. */
    public static String role(String tenant) {
        if (tenant == null || !TelemetryConfig.TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must be 1-58 characters of letters, digits, '.', '_', ':', '-', got '"
                    + tenant + "'");
        }
        return PREFIX + tenant;
    }

    /** The tenant whose login {@code user} is, or null. */
    public static String tenantOf(String user) {
        return user != null && user.startsWith(PREFIX) ? user.substring(PREFIX.length()) : null;
    }

    /**
     * Makes sure the tenant's login exists with the safe attributes, sets its password when one is
     * given (null keeps it), and lets the connected owner SET ROLE to it. Run in autocommit: on Citus,
     * role changes are propagated to the workers and may not share a transaction with writes.
     */
    public static void ensure(Connection owner, String tenant, String password) throws SQLException {
        String role = role(tenant);
        try (Statement st = owner.createStatement()) {
            // one at a time per role, across every process: two ALTER ROLEs of one role at once fail with
            // "tuple concurrently updated" (a burst of a new tenant's first API requests did so)
            SessionLock.holding(owner, role, () -> {
                ensureLocked(owner, st, role, password);
                return null;
            });
        }
    }

    private static void ensureLocked(Connection owner, Statement st, String role, String password) throws SQLException {
        if (!exists(owner, role)) {
            try {
                st.execute(quoted(owner, "CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE "
                        + "INHERIT IN ROLE " + GROUP, role, null));
            } catch (SQLException e) {
                if (!"42710".equals(e.getSQLState())) { // made by another hub meanwhile
                    throw e;
                }
            }
        }
        // reasserted every time: whatever was granted since, the login must stay under row-level security
        st.execute(quoted(owner, "ALTER ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE", role, null));
        st.execute(quoted(owner, "GRANT " + GROUP + " TO %I", role, null));
        if (password != null && !password.isEmpty()) {
            st.execute(quoted(owner, "ALTER ROLE %I PASSWORD %L", role, password));
        }
        if (!superuser(owner) && !memberOf(owner, role)) {
            st.execute(quoted(owner, "GRANT %I TO CURRENT_USER", role, null));
        }
    }

    /** SQLSTATE of a role that does not exist (dropped since it was made, or another server's). */
    public static final String UNDEFINED_ROLE = "42704";

    /** Makes the current transaction work as the tenant's login (its row-level security applies). */
    public static void actAs(Connection c, String tenant) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL ROLE \"" + role(tenant) + "\"");
        }
    }

    private static boolean exists(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean superuser(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static boolean memberOf(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_has_role(current_user, ?, 'MEMBER')")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The statement with identifier and literal quoted by the server ({@code format}), never by hand. */
    private static String quoted(Connection c, String template, String identifier, String literal) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(literal == null ? "SELECT format(?, ?::text)"
                : "SELECT format(?, ?::text, ?::text)")) {
            ps.setString(1, template);
            ps.setString(2, identifier);
            if (literal != null) {
                ps.setString(3, literal);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
