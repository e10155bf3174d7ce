package io.mcphub.telemetry.sink;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL (binaries from Maven Central) run by telemetry itself when no database is
 * configured. Its data directory persists, so telemetry survives hub restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final String database;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String database) {
        this.postgres = postgres;
        this.database = database;
    }

    /** Starts (initialising on first use) the server in {@code dataDir} and ensures {@code database} exists. */
    public static EmbeddedDatabase start(Path dataDir, int port, String database) {
        EmbeddedPostgres pg;
        try {
            Files.createDirectories(dataDir);
            pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                    .setRegisterShutdownHook(true).start();
        } catch (IOException | RuntimeException e) {
            throw new TelemetryStartupException("cannot start the embedded PostgreSQL in " + dataDir + " on port " + port
                    + " (another process may be using that directory or port; set mcp.telemetry.embedded.dir / "
                    + "mcp.telemetry.embedded.port, or configure POSTGRES_HOST): " + e.getMessage(), e);
        }
        EmbeddedDatabase db = new EmbeddedDatabase(pg, database);
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            createDatabaseIfMissing(c, database);
        } catch (SQLException e) {
            db.close();
            throw new TelemetryStartupException("embedded PostgreSQL started but database " + database
                    + " could not be created: " + e.getMessage(), e);
        }
        LOG.info("embedded PostgreSQL running with data in {}: {} (psql -h 127.0.0.1 -p {} -U {} {})",
                dataDir, db.jdbcUrl(), pg.getPort(), USER, database);
        return db;
    }

    static void createDatabaseIfMissing(Connection c, String database) throws SQLException {
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new SQLException("database name '" + database + "' must be a plain identifier", "42602");
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
            if (rs.next()) {
                return;
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

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
