package io.mcphub.telemetry.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.schema.TenantLogins;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API server's own small pool. Every request's queries run in a read-only transaction that takes
 * the tenant's database role ({@code SET LOCAL ROLE mcpt_<tenant>}), so the database's grants and
 * row-level security, not this server's code, decide which rows a request can see; the queries also
 * name the tenant, which is what lets Citus route them to one shard.
 */
public final class TelemetryDatabase implements AutoCloseable {

    /** Work done in one tenant transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** How long one request's queries may run: the API answers 503 query_timeout instead. */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(15);

    private final HikariDataSource pool;
    private final DatabaseTarget target;
    private final String loginTenant;
    private final Set<String> loginsMade = ConcurrentHashMap.newKeySet();

    public TelemetryDatabase(DatabaseTarget target, int poolSize) {
        this.target = target;
        this.loginTenant = target.userTenant();
        HikariConfig config = new HikariConfig();
        config.setDataSource(target.userDataSource("mcp-telemetry-api", Duration.ofSeconds(5),
                STATEMENT_TIMEOUT.plusSeconds(30)));
        config.setPoolName("mcp-telemetry-api");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        // the server starts even while the database is down; requests then answer 503
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    public DatabaseTarget target() {
        return target;
    }

    /** Runs {@code work} as {@code tenant} in a read-only transaction with a statement timeout. */
    public <T> T read(String tenant, Work<T> work) {
        if (loginTenant != null && !loginTenant.equals(tenant)) {
            throw new ApiException(403, "forbidden", "this API server logs in to the database as tenant '"
                    + loginTenant + "' and cannot read tenant '" + tenant + "'", null);
        }
        try (Connection c = pool.getConnection()) {
            if (loginTenant == null) {
                ensureLogin(c, tenant);
            }
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                try (Statement st = c.createStatement()) {
                    // percentiles merge histograms and sort raw windows: in memory, not in temporary files
                    st.execute("SET LOCAL statement_timeout = '" + STATEMENT_TIMEOUT.toMillis() + "ms'; "
                            + "SET LOCAL work_mem = '32MB'");
                }
                if (loginTenant == null) {
                    try {
                        TenantLogins.actAs(c, tenant);
                    } catch (SQLException e) {
                        if (TenantLogins.UNDEFINED_ROLE.equals(e.getSQLState())) {
                            loginsMade.remove(tenant); // dropped by hand since: made again by the next request
                        }
                        throw e;
                    }
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
                c.setReadOnly(false);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Runs as the server's own login, without a tenant (token resolution, sequence positions). */
    public <T> T plain(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * A tenant that has never written has no login yet; making it here (once per tenant) lets the
     * request answer "no data" like any other instead of failing on a missing role.
     */
    private void ensureLogin(Connection c, String tenant) throws SQLException {
        if (!loginsMade.contains(tenant)) {
            c.setAutoCommit(true);
            TenantLogins.ensure(c, tenant, null);
            loginsMade.add(tenant);
        }
    }

    private static ApiException unavailable(SQLException e) {
        if ("57014".equals(e.getSQLState())) {
            return new ApiException(503, "query_timeout", "the query took longer than "
                    + STATEMENT_TIMEOUT.toSeconds() + " s; narrow the window", null);
        }
        return new ApiException(503, "database_unavailable", "telemetry database error: " + e.getMessage(), null);
    }

    @Override
    public void close() {
        pool.close();
    }
}
