package io.mcphub.telemetry.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating the telemetry database itself, so a fresh server just works. */
public final class Databases {

    private static final Logger LOG = LoggerFactory.getLogger(Databases.class);

    private Databases() {
    }

    /** Creates {@code database} (a plain identifier) through {@code c} unless it exists. */
    public static void createIfMissing(Connection c, String database) throws SQLException {
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new SQLException("database name '" + database + "' must be a plain identifier", "42602");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
            LOG.info("created database {}", database);
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // created by someone else meanwhile
                throw e;
            }
        }
    }
}
