package io.mcphub.telemetry.sink;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mcphub.telemetry.record.TelemetryRecord;
import io.mcphub.telemetry.schema.SchemaMigrator;
import io.mcphub.telemetry.schema.StorageLayout;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline behind one object: migrates the schema, opens the application pool, starts the
 * ring, the sink thread and maintenance. {@link #publish} is safe from any thread and never blocks.
 */
public final class PostgresTelemetrySink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresTelemetrySink.class);

    private final SinkSettings settings;
    private final SinkStats stats = new SinkStats();
    private final HikariDataSource pool;
    private final TelemetryRing ring;
    private final SinkMaintenance maintenance;
    private final StorageLayout layout;
    private volatile boolean closed;

    private PostgresTelemetrySink(SinkSettings settings) {
        this.settings = settings;
        AdminConnections admin = new AdminConnections(settings);
        this.layout = migrate(admin, settings);
        this.pool = openPool(settings);
        DirtyRange dirty = new DirtyRange();
        SinkHandler handler = new SinkHandler(new BatchWriter(pool, stats, dirty), stats, settings);
        this.ring = new TelemetryRing(settings.ringSize(), handler, stats, settings.flushInterval());
        this.maintenance = new SinkMaintenance(admin, settings, dirty, stats, ring);
        maintenance.start();
        LOG.info("telemetry sink writing to {} ({} layout, ring of {} records, batches of {})",
                settings.describe(), layout.fileTag(), settings.ringSize(), settings.batchSize());
    }

    /**
     * Starts the pipeline. Fails with a message naming the problem when the database cannot be
     * reached or migrated; once started, database trouble never reaches callers.
     */
    public static PostgresTelemetrySink start(SinkSettings settings) {
        return new PostgresTelemetrySink(settings);
    }

    private static StorageLayout migrate(AdminConnections admin, SinkSettings settings) {
        Connection c;
        try {
            c = admin.open();
        } catch (SQLException e) {
            throw new TelemetryStartupException("cannot connect to PostgreSQL at " + settings.describe()
                    + " (check POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD): "
                    + e.getMessage(), e);
        }
        try (c) {
            StorageLayout layout = new SchemaMigrator(settings.timescaleWanted()).migrate(c).layout();
            SchemaMigrator.configureAppRole(c, settings.appPassword());
            try (var ps = c.prepareStatement("SELECT mcp_telemetry_maintain(?, 3)")) {
                ps.setInt(1, settings.retentionDays());
                ps.execute();
            }
            return layout;
        } catch (SQLException e) {
            throw new TelemetryStartupException("cannot prepare the telemetry schema at " + settings.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource openPool(SinkSettings settings) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(settings.jdbcUrl());
        ds.setApplicationName("mcp-telemetry-sink");
        ds.setConnectTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        ds.setSocketTimeout(120);
        boolean setRole = settings.appPassword() == null || settings.appPassword().isEmpty();
        if (setRole) {
            ds.setUser(settings.adminUser());
            ds.setPassword(settings.adminPassword());
        } else {
            ds.setUser(SchemaMigrator.APP_ROLE);
            ds.setPassword(settings.appPassword());
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(ds);
        config.setPoolName("mcp-telemetry");
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(settings.connectTimeout().toMillis(), 5_000)));
        // Outages after start are the sink's to ride out; only the first connection must work.
        config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
        config.setConnectionInitSql(setRole
                ? "SET client_min_messages = warning; SET ROLE " + SchemaMigrator.APP_ROLE
                : "SET client_min_messages = warning");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new TelemetryStartupException("cannot open the telemetry connection pool as "
                    + (setRole ? settings.adminUser() + " (SET ROLE " + SchemaMigrator.APP_ROLE + ")" : SchemaMigrator.APP_ROLE
                    + " (check MCP_HUB_DB_PASSWORD)") + ": " + e.getMessage(), e);
        }
    }

    /** Queues a record; false (and counted as dropped) when the ring is full or the sink closed. */
    public boolean publish(TelemetryRecord record) {
        if (closed) {
            stats.dropped.increment();
            return false;
        }
        return ring.publish(record);
    }

    /** Blocks until everything published so far is written; false if that took longer than the timeout. */
    public boolean flush(Duration timeout) {
        try {
            boolean done = ring.flush(timeout);
            maintenance.refreshRollups();
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public SinkStats.Snapshot stats() {
        return stats.snapshot();
    }

    public StorageLayout layout() {
        return layout;
    }

    public SinkSettings settings() {
        return settings;
    }

    /** Writes everything still queued (up to the shutdown timeout), then releases the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        maintenance.reportStats();
        closed = true;
        ring.close(settings.shutdownTimeout());
        SinkStats.Snapshot end = stats.snapshot();
        long unaccounted = end.accepted() - end.written() - end.rejected() - end.lost();
        if (unaccounted > 0) {
            stats.lost.add(unaccounted);
        }
        maintenance.refreshRollups();
        maintenance.close();
        pool.close();
        SinkStats.Snapshot s = stats.snapshot();
        LOG.info("telemetry sink closed: {} written, {} dropped, {} rejected, {} lost",
                s.written(), s.dropped(), s.rejected(), s.lost());
    }
}
