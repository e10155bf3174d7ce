package io.mcphub.telemetry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The psql path: the schema owner sees every tenant's rows, and {@code SELECT mcp_use_tenant('a')}
 * makes the session tenant a's login, so the statistics views and tables show a's rows only, through
 * the real row-level security; it gives a login no tenant it could not SET ROLE to anyway.
 */
class UseTenantTest {

    private static TestDatabase db;

    @BeforeAll
    static void schemaWithTwoTenants() throws Exception {
        db = TestDatabase.create();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(true).migrate(c);
            TenantLogins.ensure(c, "tenant-a", "pw-a");
            TenantLogins.ensure(c, "tenant-b", null);
            for (String tenant : new String[] {"tenant-a", "tenant-b"}) {
                st.execute("INSERT INTO rollup_tool_1h (tenant_id, bucket, server_name, tool_name, side, calls, errors, "
                        + "total_duration_us, min_duration_us, max_duration_us, last_called_at, latency_keys, latency_counts) "
                        + "VALUES ('" + tenant + "', date_trunc('hour', now()), 'srv-" + tenant + "', 'x', 'downstream', "
                        + "3, 0, 30, 10, 10, now(), '{60}', '{3}')");
                st.execute("INSERT INTO tool_executions (tenant_id, server_name, tool_name, started_at, duration_us, outcome) "
                        + "VALUES ('" + tenant + "', 'srv-" + tenant + "', 'x', now(), 1, 'success')");
            }
        }
    }

    @AfterAll
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theOwnerSwitchesToATenantAndBack() throws Exception {
        try (Connection c = db.connect()) {
            assertEquals("srv-tenant-a,srv-tenant-b", servers(c, "tool_stats_1h"), "the owner sees every tenant");
            assertEquals("tenant-a", string(c, "SELECT mcp_use_tenant('tenant-a')"));
            assertEquals("mcpt_tenant-a", string(c, "SELECT current_user"));
            assertEquals("srv-tenant-a", servers(c, "tool_stats_1h"));
            assertEquals("srv-tenant-a", servers(c, "server_stats_1h"));
            assertEquals("srv-tenant-a", servers(c, "tool_executions"));
            assertEquals("tenant-b", string(c, "SELECT mcp_use_tenant('tenant-b')"), "from one tenant to another");
            assertEquals("srv-tenant-b", servers(c, "tool_stats_1h"));
            assertNull(string(c, "SELECT mcp_use_tenant(NULL)"));
            assertEquals(db.adminUser(), string(c, "SELECT current_user"));
            assertEquals("srv-tenant-a,srv-tenant-b", servers(c, "tool_stats_1h"));
        }
    }

    @Test
    void anUnknownOrMalformedTenantIsNamed() throws Exception {
        try (Connection c = db.connect()) {
            SQLException unknown = assertThrows(SQLException.class, () -> string(c, "SELECT mcp_use_tenant('nobody')"));
            assertTrue(unknown.getMessage().contains("tenant 'nobody' has no login here (role mcpt_nobody"),
                    unknown.getMessage());
            SQLException malformed = assertThrows(SQLException.class, () -> string(c, "SELECT mcp_use_tenant('a b')"));
            assertTrue(malformed.getMessage().contains("'a b' is not a tenant id"), malformed.getMessage());
            assertEquals(db.adminUser(), string(c, "SELECT current_user"), "a refused switch changes nothing");
        }
    }

    @Test
    void aTenantsLoginCannotBecomeAnotherTenant() throws Exception {
        try (Connection a = DriverManager.getConnection(db.jdbcUrl(), "mcpt_tenant-a", "pw-a")) {
            SQLException refused = assertThrows(SQLException.class, () -> string(a, "SELECT mcp_use_tenant('tenant-b')"));
            assertTrue(refused.getMessage().contains("login mcpt_tenant-a may not act as tenant 'tenant-b'"),
                    refused.getMessage());
            assertEquals("srv-tenant-a", servers(a, "tool_stats_1h"));
            assertEquals("tenant-a", string(a, "SELECT mcp_use_tenant('tenant-a')"), "its own tenant is no change");
            assertEquals("srv-tenant-a", servers(a, "tool_executions"));
        }
    }

    private static String servers(Connection c, String relation) throws SQLException {
        return string(c, "SELECT string_agg(DISTINCT server_name, ',' ORDER BY server_name) FROM " + relation);
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
