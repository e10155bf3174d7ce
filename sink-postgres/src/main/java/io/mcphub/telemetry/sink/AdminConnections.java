package io.mcphub.telemetry.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Short-lived connections as the schema owner, for migrations and maintenance (partitions,
 * retention, rollups), which the application role may not do. The driver is called directly so the
 * shaded copy inside the agent never depends on {@code DriverManager} registration.
 */
final class AdminConnections {

    private final String jdbcUrl;
    private final Properties props = new Properties();

    AdminConnections(SinkSettings settings) {
        this.jdbcUrl = settings.jdbcUrl();
        props.setProperty("user", settings.adminUser());
        if (settings.adminPassword() != null) {
            props.setProperty("password", settings.adminPassword());
        }
        props.setProperty("ApplicationName", "mcp-telemetry-admin");
        props.setProperty("connectTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
        props.setProperty("socketTimeout", "300");
    }

    Connection open() throws SQLException {
        Connection c = new Driver().connect(jdbcUrl, props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + jdbcUrl, "08001");
        }
        return c;
    }
}
