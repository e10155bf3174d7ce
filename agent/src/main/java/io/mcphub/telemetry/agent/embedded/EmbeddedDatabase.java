package io.mcphub.telemetry.agent.embedded;

import io.mcphub.telemetry.schema.Databases;
import io.mcphub.telemetry.sink.TelemetryStartupException;
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
 * A real PostgreSQL (zonky's builds from Maven Central, in {@link EmbeddedBinaries}' jar) run by the agent when no database is configured.
 * Its data directory persists, so telemetry survives hub restarts. It is stopped by whoever started
 * it, after the sink wrote its last record (never by a shutdown hook of its own, which would race the
 * sink at exit).
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

    /**
     * Starts (initialising on first use) the server of {@code binaries} in {@code dataDir} and ensures
     * {@code database} exists.
     */
    public static EmbeddedDatabase start(EmbeddedBinaries binaries, Path dataDir, int port, String database) {
        EmbeddedPostgres pg;
        try {
            Files.createDirectories(dataDir);
            pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                    .setRegisterShutdownHook(false).setPgBinaryResolver(AgentBinaries.of(binaries)).start();
        } catch (IOException | RuntimeException e) {
            throw new TelemetryStartupException("cannot start the embedded PostgreSQL in " + dataDir + " on port " + port
                    + " (another process may be using that directory or port; set mcp.telemetry.embedded.dir / "
                    + "mcp.telemetry.embedded.port, or configure POSTGRES_HOST): " + e.getMessage(), e);
        }
        EmbeddedDatabase db = new EmbeddedDatabase(pg, database);
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            Databases.createIfMissing(c, database);
        } catch (SQLException e) {
            db.close();
            throw new TelemetryStartupException("embedded PostgreSQL started but database " + database
                    + " could not be created: " + e.getMessage(), e);
        }
        LOG.info("embedded PostgreSQL running with data in {}: {} (psql -h 127.0.0.1 -p {} -U {} {}; binaries from {})",
                dataDir, db.jdbcUrl(), pg.getPort(), USER, database, binaries.jar());
        return db;
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
