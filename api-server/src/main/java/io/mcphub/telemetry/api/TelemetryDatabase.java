package io.mcphub.telemetry.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.schema.TenantLogins;
import io.mcphub.telemetry.text.SecretScrubber;
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

    /** Longest wait for a pooled connection (or a new one): a database that is down answers 503 this soon. */
    private static final Duration CONNECTION_WAIT = Duration.ofSeconds(5);
    /**
     * How long past the statement timeout a socket waits for the database: the server cancels a statement
     * at its timeout and answers at once, so only a database that answers nothing at all (stopped, a
     * dead network) takes this long, and the worker blocked on it is then freed.
     */
    private static final Duration SOCKET_GRACE = Duration.ofSeconds(2);

    private final HikariDataSource pool;
    private final Duration queryTimeout;
    private final DatabaseTarget target;
    private final String loginTenant;
    private final Set<String> loginsMade = ConcurrentHashMap.newKeySet();
    private final DigestCache digests;
    private final RawMinuteCache rawMinutes;

    /**
     * A pool of {@code poolSize} connections whose statements stop after {@code queryTimeout}, and up to
     * {@code digestCacheBytes} of merged tool digests held, and as much again of raw minutes (0: neither).
     */
    public TelemetryDatabase(DatabaseTarget target, int poolSize, Duration queryTimeout, long digestCacheBytes) {
        this.digests = new DigestCache(digestCacheBytes);
        this.rawMinutes = new RawMinuteCache(digestCacheBytes);
        this.target = target;
        this.loginTenant = target.userTenant();
        this.queryTimeout = queryTimeout;
        Duration wait = queryTimeout.compareTo(CONNECTION_WAIT) < 0 ? queryTimeout : CONNECTION_WAIT;
        HikariConfig config = new HikariConfig();
        // the driver counts its socket timeout in whole seconds: rounded up
        Duration socketTimeout = Duration.ofSeconds((queryTimeout.plus(SOCKET_GRACE).toMillis() + 999) / 1000);
        config.setDataSource(target.userDataSource("mcp-telemetry-api", wait, socketTimeout));
        config.setPoolName("mcp-telemetry-api");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Math.max(250, wait.toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(2_000, wait.toMillis())));
        // the server starts even while the database is down; requests then answer 503
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    /** The merged tool digests of this database's windows (read through, never stale: {@link DigestCache}). */
    public DigestCache digests() {
        return digests;
    }

    /** The raw rows of whole minutes of this database's windows up to an hour (checked on every read: {@link RawMinuteCache}). */
    public RawMinuteCache rawMinutes() {
        return rawMinutes;
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
                    // percentiles merge histograms and sort raw windows: in memory, not in temporary files.
                    // Custom plans: the window bounds are parameters, and a generic plan (chosen after five
                    // executions) cannot prune partitions/chunks or pick the 1h/1d/1w index ranges by them;
                    // measured 30 d /tools 70 -> 42 ms. Planning a custom plan costs well under a millisecond.
                    st.execute("SET LOCAL statement_timeout = '" + queryTimeout.toMillis() + "ms'; "
                            + "SET LOCAL work_mem = '32MB'; "
                            + "SET LOCAL plan_cache_mode = force_custom_plan");
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

    private ApiException unavailable(SQLException e) {
        if ("57014".equals(e.getSQLState())) {
            return new ApiException(503, "query_timeout", "the query took longer than "
                    + queryTimeout.toMillis() / 1000.0 + " s; narrow the window", null);
        }
        return new ApiException(503, "database_unavailable", "telemetry database error: "
                + SecretScrubber.scrub(e.getMessage()), null);
    }

    @Override
    public void close() {
        pool.close();
    }
}
