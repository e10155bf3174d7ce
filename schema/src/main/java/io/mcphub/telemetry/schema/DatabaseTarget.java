package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.text.SecretScrubber;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the telemetry database is and how to log in: the schema owner's login (migrations,
 * maintenance) and the application login. With {@code appPassword} the application logs in as
 * {@code mcp_hub_app}; without it, it logs in as the owner and switches with {@code SET ROLE}, so
 * row-level security holds either way. The sink and the API server both open their pools from here.
 */
public record DatabaseTarget(String jdbcUrl, String ownerUser, String ownerPassword, String appPassword) {

    public DatabaseTarget {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:");
        }
        if (ownerUser == null || ownerUser.isBlank()) {
            throw new IllegalArgumentException("the schema owner's user must be set");
        }
        ownerPassword = ownerPassword == null ? "" : ownerPassword;
        appPassword = appPassword == null || appPassword.isEmpty() ? null : appPassword;
    }

    /** The configured server (not an embedded one). */
    public static DatabaseTarget of(TelemetryConfig config) {
        return new DatabaseTarget(config.jdbcUrl(), config.postgresUser(), config.postgresPassword(), config.appPassword());
    }

    public DatabaseTarget withJdbcUrl(String url) {
        return new DatabaseTarget(url, ownerUser, ownerPassword, appPassword);
    }

    /** True when the application logs in as the owner and switches to the application role. */
    public boolean setRole() {
        return appPassword == null;
    }

    /** The URL without parameters or credentials, and the login, for log lines: never a password. */
    public String describe() {
        int q = jdbcUrl.indexOf('?');
        return SecretScrubber.scrub(q < 0 ? jdbcUrl : jdbcUrl.substring(0, q)) + " as " + ownerUser;
    }

    /** How the application logs in, for messages. */
    public String appLogin() {
        return setRole() ? ownerUser + " (SET ROLE " + SchemaMigrator.APP_ROLE + ")"
                : SchemaMigrator.APP_ROLE + " (check MCP_HUB_DB_PASSWORD)";
    }

    /** The database name in the URL. */
    public String database() {
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int q = jdbcUrl.indexOf('?', slash);
        return jdbcUrl.substring(slash + 1, q < 0 ? jdbcUrl.length() : q);
    }

    /** The same server's {@code postgres} database, where a missing database is created from. */
    public DatabaseTarget maintenanceDatabase() {
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int q = jdbcUrl.indexOf('?', slash);
        return withJdbcUrl(jdbcUrl.substring(0, slash + 1) + "postgres" + (q < 0 ? "" : jdbcUrl.substring(q)));
    }

    /** A data source of the application login; pools add {@link #appInitSql()} to each connection. */
    public PGSimpleDataSource appDataSource(String applicationName, Duration connectTimeout, Duration socketTimeout) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setApplicationName(applicationName);
        ds.setConnectTimeout((int) Math.max(1, connectTimeout.toSeconds()));
        ds.setSocketTimeout((int) Math.max(0, socketTimeout.toSeconds()));
        if (setRole()) {
            ds.setUser(ownerUser);
            ds.setPassword(ownerPassword);
        } else {
            ds.setUser(SchemaMigrator.APP_ROLE);
            ds.setPassword(appPassword);
        }
        return ds;
    }

    public String appInitSql() {
        return setRole() ? "SET client_min_messages = warning; SET ROLE " + SchemaMigrator.APP_ROLE
                : "SET client_min_messages = warning";
    }

    /**
     * A connection as the schema owner. The driver is called directly so a shaded copy inside the
     * agent never depends on {@code DriverManager} registration.
     */
    public Connection openOwner(String applicationName, Duration connectTimeout, Duration socketTimeout)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", ownerUser);
        props.setProperty("password", ownerPassword);
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        props.setProperty("socketTimeout", Long.toString(Math.max(0, socketTimeout.toSeconds())));
        Connection c = new Driver().connect(jdbcUrl, props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + describe(), "08001");
        }
        return c;
    }
}
