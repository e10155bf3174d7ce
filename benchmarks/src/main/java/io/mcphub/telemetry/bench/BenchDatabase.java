package io.mcphub.telemetry.bench;

import static io.mcphub.telemetry.bench.BenchArgs.env;
import static io.mcphub.telemetry.bench.BenchArgs.procTicks;

import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.schema.SchemaMigrator;
import io.mcphub.telemetry.schema.TenantLogins;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** A database of one run on the layout's server (on Citus, on every node), migrated, dropped afterwards. */
public record BenchDatabase(StorageLayout layout, String name, List<Integer> ports) implements AutoCloseable {

    /** The database {@code name} a previous run made and kept. */
    public static BenchDatabase existing(StorageLayout layout, String name) {
        return new BenchDatabase(layout, name, ports(layout));
    }

    /** A new database named {@code name} on the layout's server (dropped first if it exists), migrated. */
    public static BenchDatabase create(StorageLayout layout, String name) throws SQLException {
        BenchDatabase db = existing(layout, name);
        for (int port : db.ports()) {
            try (Connection c = DriverManager.getConnection(url(port, "postgres"), "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                st.execute("CREATE DATABASE " + name);
            }
            if (layout == StorageLayout.CITUS) {
                try (Connection c = DriverManager.getConnection(url(port, name), "postgres", "");
                     Statement st = c.createStatement()) {
                    st.execute("CREATE EXTENSION citus");
                }
            }
        }
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            if (layout == StorageLayout.CITUS) {
                st.execute("SELECT citus_set_coordinator_host('127.0.0.1', " + db.ports().get(0) + ")");
                for (int port : db.ports().subList(1, db.ports().size())) {
                    st.execute("SELECT citus_add_node('127.0.0.1', " + port + ")");
                }
            }
            new SchemaMigrator(layout, true).migrate(c);
        }
        return db;
    }

    /** The server ports of the layout: plain 5432, TimescaleDB 5433, Citus coordinator 5441 and its workers. */
    static List<Integer> ports(StorageLayout layout) {
        return switch (layout) {
            case PLAIN -> List.of(Integer.parseInt(env("POSTGRES_PORT", "5432")));
            case TIMESCALE -> List.of(Integer.parseInt(env("MCP_TEST_TIMESCALE_PORT", "5433")));
            case CITUS -> {
                int base = Integer.parseInt(env("MCP_TEST_CITUS_PORT", "5441"));
                yield List.of(base, base + 1, base + 2);
            }
        };
    }

    public static String url(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(ports.get(0), name), "postgres", "");
    }

    public DatabaseTarget owner() {
        return new DatabaseTarget(url(ports.get(0), name), "postgres", "", null);
    }

    /** The tenant's login, made (or its password reset) now. */
    public DatabaseTarget tenantLogin(String tenant, String password) throws SQLException {
        try (Connection c = connect()) {
            TenantLogins.ensure(c, tenant, password);
        }
        return new DatabaseTarget(url(ports.get(0), name), TenantLogins.role(tenant), password, null);
    }

    public String executionsTable() {
        return layout == StorageLayout.TIMESCALE ? "mcp_store.tool_executions" : "tool_executions";
    }

    public long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** User+system CPU of this database's backends on every node (same machine). */
    public long backendCpu() throws SQLException {
        long ticks = 0;
        for (int port : ports) {
            try (Connection c = DriverManager.getConnection(url(port, "postgres"), "postgres", "");
                 PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ticks += procTicks(rs.getInt(1));
                    }
                }
            }
        }
        return ticks * 10_000_000L; // USER_HZ = 100
    }

    @Override
    public void close() throws SQLException {
        for (int port : ports) {
            try (Connection c = DriverManager.getConnection(url(port, "postgres"), "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }
}
