package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.model.StorageLayout;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which layout a fresh database gets: the one configured ({@code storage.layout}), or with {@code auto}
 * Citus when the citus extension is installed with workers registered, else TimescaleDB when it is
 * available and preloaded, else plain PostgreSQL. Says what it chose and why in one line.
 */
final class LayoutChooser {

    private static final Logger LOG = LoggerFactory.getLogger(LayoutChooser.class);
    static final String PRELOAD_REMEDY = "add timescaledb to shared_preload_libraries in postgresql.conf "
            + "(shared_preload_libraries = 'timescaledb') and restart PostgreSQL";

    /** What the server offers. */
    record Offer(boolean citusInstalled, int citusWorkers, boolean timescaleAvailable, boolean timescaleInstalled,
                 boolean timescalePreloaded) {
    }

    private final StorageLayout wanted;
    private final boolean timescaleWanted;

    /** @param wanted the layout asked for, null for auto */
    LayoutChooser(StorageLayout wanted, boolean timescaleWanted) {
        this.wanted = wanted;
        this.timescaleWanted = timescaleWanted;
    }

    StorageLayout choose(Connection c) throws SQLException {
        Offer offer = offer(c);
        StorageLayout layout = decide(offer);
        // creating the extension without preloading it kills the connection (FATAL): decide checked that
        if (layout == StorageLayout.TIMESCALE && !offer.timescaleInstalled()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            }
        }
        return layout;
    }

    /** The layout for what the server offers, logged with the reason; throws when the configured one is impossible. */
    StorageLayout decide(Offer offer) {
        if (wanted == StorageLayout.CITUS) {
            if (!offer.citusInstalled() || offer.citusWorkers() == 0) {
                throw new MigrationException("storage.layout=citus, but " + (offer.citusInstalled()
                        ? "no Citus worker is registered (SELECT citus_add_node(host, port) on the coordinator)"
                        : "the citus extension is not installed in this database (CREATE EXTENSION citus)"));
            }
            LOG.info("storage layout citus (configured): tables distributed by tenant over {} workers", offer.citusWorkers());
            return StorageLayout.CITUS;
        }
        if (wanted == StorageLayout.TIMESCALE) {
            if (!offer.timescaleAvailable()) {
                throw new MigrationException("storage.layout=timescale, but the TimescaleDB extension is not installed on "
                        + "this server");
            }
            if (!offer.timescalePreloaded()) {
                throw new MigrationException("storage.layout=timescale, but TimescaleDB is not preloaded: " + PRELOAD_REMEDY);
            }
            LOG.info("storage layout timescale (configured): hypertables, continuous aggregates, columnstore");
            return StorageLayout.TIMESCALE;
        }
        if (wanted == StorageLayout.PLAIN) {
            LOG.info("storage layout plain (configured): PostgreSQL partitions and rollups");
            return StorageLayout.PLAIN;
        }
        if (offer.citusInstalled() && offer.citusWorkers() > 0) {
            LOG.info("storage layout citus (detected: citus extension with {} workers): tables distributed by tenant",
                    offer.citusWorkers());
            return StorageLayout.CITUS;
        }
        if (!timescaleWanted) {
            LOG.info("TimescaleDB disabled (TIMESCALEDB_ENABLED=false): using plain PostgreSQL partitions and rollups");
            return StorageLayout.PLAIN;
        }
        if (!offer.timescaleAvailable()) {
            LOG.info("TimescaleDB extension not available on this server: using plain PostgreSQL partitions and rollups");
            return StorageLayout.PLAIN;
        }
        if (!offer.timescalePreloaded()) {
            LOG.warn("TimescaleDB is installed on this server but not preloaded, so it cannot be used: using plain "
                    + "PostgreSQL partitions and rollups. To use TimescaleDB for a new database, " + PRELOAD_REMEDY);
            return StorageLayout.PLAIN;
        }
        LOG.info("TimescaleDB extension found: using hypertables and continuous aggregates");
        return StorageLayout.TIMESCALE;
    }

    static Offer offer(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            boolean citus = exists(st, "SELECT 1 FROM pg_extension WHERE extname = 'citus'");
            int workers = 0;
            if (citus) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_dist_node "
                        + "WHERE groupid > 0 AND isactive AND noderole = 'primary'")) {
                    rs.next();
                    workers = rs.getInt(1);
                }
            }
            return new Offer(citus, workers,
                    exists(st, "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'"),
                    exists(st, "SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'"),
                    // readable by any role, unlike shared_preload_libraries; a session cannot fake it
                    exists(st, "SELECT 1 FROM pg_settings WHERE name = 'timescaledb.max_background_workers'"));
        }
    }

    private static boolean exists(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next();
        }
    }
}
