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
 * Where the telemetry database is and how to log in. {@code user} is the configured login: usually the
 * schema owner (it migrates, and reads and writes as a tenant with {@code SET LOCAL ROLE}), or a
 * tenant's own login {@code mcpt_<tenant>}, which can do nothing but that tenant's work.
 * {@code tenantPassword}, when set, is the password of the tenant's login, which a single tenant's
 * writer (a hub) then uses instead of the owner's. The sink and the API server open their pools here.
 */
public record DatabaseTarget(String jdbcUrl, String user, String password, String tenantPassword) {

    static {
        // every use of the driver starts with a target: its log lines are scrubbed before the first
        DriverLogs.install();
    }

    public DatabaseTarget {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("the database user must be set");
        }
        password = password == null ? "" : password;
        tenantPassword = tenantPassword == null || tenantPassword.isEmpty() ? null : tenantPassword;
        // an embedded database's target, or one made in code, never passed through TelemetryConfig
        SecretScrubber.remember(password, tenantPassword);
        SecretScrubber.rememberUrl(jdbcUrl);
    }

    /** The configured server (not an embedded one). */
    public static DatabaseTarget of(TelemetryConfig config) {
        return new DatabaseTarget(config.jdbcUrl(), config.postgresUser(), config.postgresPassword(), config.appPassword());
    }

    public DatabaseTarget withJdbcUrl(String url) {
        return new DatabaseTarget(url, user, password, tenantPassword);
    }

    /** The tenant whose login the configured user is, or null when it is not a tenant's login (the owner). */
    public String userTenant() {
        return TenantLogins.tenantOf(user);
    }

    /** The URL without parameters or credentials, and the login, for log lines: never a password. */
    public String describe() {
        int q = jdbcUrl.indexOf('?');
        return SecretScrubber.scrub(q < 0 ? jdbcUrl : jdbcUrl.substring(0, q)) + " as " + user;
    }

    /** The URL's {@code host:port} (several, comma-separated, when it names several), for messages. */
    public String server() {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            return "localhost:5432"; // jdbc:postgresql:database
        }
        int start = "jdbc:postgresql://".length();
        int end = start;
        while (end < jdbcUrl.length() && jdbcUrl.charAt(end) != '/' && jdbcUrl.charAt(end) != '?') {
            end++;
        }
        String hosts = jdbcUrl.substring(start, end);
        hosts = hosts.substring(hosts.lastIndexOf('@') + 1);
        StringBuilder sb = new StringBuilder();
        for (String host : hosts.split(",")) {
            boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
            sb.append(sb.length() == 0 ? "" : ",").append(host.isEmpty() ? "localhost" : host)
                    .append(hasPort ? "" : ":5432");
        }
        return sb.toString();
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

    /**
     * How a writer of one tenant logs in: as the tenant's login when its password is known (or the user
     * is that login), else as the configured user, which then switches to the tenant per transaction.
     */
    public String writerLogin(String tenant) {
        return tenantPassword != null && userTenant() == null ? TenantLogins.role(tenant) : user;
    }

    /** A data source logging in as {@link #writerLogin} for {@code tenant}. */
    public PGSimpleDataSource writerDataSource(String tenant, String applicationName, Duration connectTimeout,
                                               Duration socketTimeout) {
        boolean asTenant = tenantPassword != null && userTenant() == null;
        return dataSource(applicationName, writerLogin(tenant), asTenant ? tenantPassword : password, connectTimeout,
                socketTimeout);
    }

    /** A data source logging in as the configured user (the API server's, serving many tenants). */
    public PGSimpleDataSource userDataSource(String applicationName, Duration connectTimeout, Duration socketTimeout) {
        return dataSource(applicationName, user, password, connectTimeout, socketTimeout);
    }

    private PGSimpleDataSource dataSource(String applicationName, String login, String secret, Duration connectTimeout,
                                          Duration socketTimeout) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setApplicationName(applicationName);
        ds.setConnectTimeout((int) Math.max(1, connectTimeout.toSeconds()));
        ds.setSocketTimeout((int) Math.max(0, socketTimeout.toSeconds()));
        ds.setUser(login);
        ds.setPassword(secret);
        return ds;
    }

    /**
     * A connection as the configured user. The driver is called directly so a shaded copy inside the
     * agent never depends on {@code DriverManager} registration.
     */
    public Connection openUser(String applicationName, Duration connectTimeout, Duration socketTimeout)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("ApplicationName", applicationName);
        long connectSeconds = Math.max(1, connectTimeout.toSeconds());
        long socketSeconds = Math.max(0, socketTimeout.toSeconds());
        props.setProperty("connectTimeout", Long.toString(connectSeconds));
        // connectTimeout bounds only the TCP connect; a server that accepts and never answers would hold the
        // login for the whole socket timeout (minutes) without this
        props.setProperty("loginTimeout", Long.toString(2 * connectSeconds));
        props.setProperty("socketTimeout", Long.toString(socketSeconds));
        long started = System.nanoTime();
        Connection c;
        try {
            c = new Driver().connect(jdbcUrl, props);
        } catch (SQLException e) {
            throw ConnectFailure.explain(e, server(), Duration.ofSeconds(connectSeconds),
                    Duration.ofSeconds(2 * connectSeconds), Duration.ofSeconds(socketSeconds),
                    Duration.ofNanos(System.nanoTime() - started));
        }
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + describe(), "08001");
        }
        return c;
    }
}
