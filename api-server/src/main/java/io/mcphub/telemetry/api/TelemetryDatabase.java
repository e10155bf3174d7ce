package io.mcphub.telemetry.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mcphub.telemetry.schema.DatabaseTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The API server's own small pool, working as {@code mcp_hub_app}: every query runs in a read-only
 * transaction that sets {@code mcp.tenant_id}, so row-level security, not the server's code, decides
 * which rows a request sees.
 */
public final class TelemetryDatabase implements AutoCloseable {

    /** Work done in one tenant transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;
    private final DatabaseTarget target;

    public TelemetryDatabase(DatabaseTarget target, int poolSize) {
        this.target = target;
        HikariConfig config = new HikariConfig();
        config.setDataSource(target.appDataSource("mcp-telemetry-api", Duration.ofSeconds(5), Duration.ofSeconds(60)));
        config.setPoolName("mcp-telemetry-api");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        // the server starts even while the database is down; requests then answer 503
        config.setInitializationFailTimeout(-1);
        config.setConnectionInitSql(target.appInitSql());
        this.pool = new HikariDataSource(config);
    }

    public DatabaseTarget target() {
        return target;
    }

    /** Runs {@code work} as {@code tenant} in a read-only transaction with a statement timeout. */
    public <T> T read(String tenant, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT set_config('mcp.tenant_id', ?, true), set_config('statement_timeout', '15s', true), "
                                // percentiles sort the window's durations: in memory, not in temporary files
                                + "set_config('work_mem', '32MB', true)")) {
                    ps.setString(1, tenant);
                    ps.execute();
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState())) {
                throw new ApiException(503, "query_timeout", "the query took longer than 15 s; narrow the window", null);
            }
            throw new ApiException(503, "database_unavailable", "telemetry database error: " + e.getMessage(), null);
        }
    }

    /** Runs without a tenant (functions such as token resolution, sequence positions). */
    public <T> T plain(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT set_config('mcp.tenant_id', '', false)");
            }
            return work.run(c);
        } catch (SQLException e) {
            throw new ApiException(503, "database_unavailable", "telemetry database error: " + e.getMessage(), null);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
