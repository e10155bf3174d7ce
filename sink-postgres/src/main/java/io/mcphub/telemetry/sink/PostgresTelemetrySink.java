package io.mcphub.telemetry.sink;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mcphub.telemetry.record.ExecutionSide;
import io.mcphub.telemetry.record.Outcome;
import io.mcphub.telemetry.record.TelemetryRecord;
import io.mcphub.telemetry.record.ToolExecutionRecord;
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

    private final SinkSettings ringSettings;
    private final SinkStats stats = new SinkStats();
    private final DeferredDataSource dataSource = new DeferredDataSource();
    private final DirtyRange dirty = new DirtyRange();
    private final TelemetryRing ring;
    private volatile SinkSettings settings;
    private volatile SinkMaintenance maintenance;
    private volatile StorageLayout layout;
    private volatile boolean closed;

    private PostgresTelemetrySink(SinkSettings settings) {
        this.ringSettings = settings;
        this.settings = settings;
        SinkHandler handler = new SinkHandler(new BatchWriter(dataSource, stats, dirty), stats, settings);
        this.ring = new TelemetryRing(settings.ringSize(), handler, stats, settings.flushInterval());
    }

    /**
     * Starts the pipeline and connects. Fails with a message naming the problem when the database
     * cannot be reached or migrated; once started, database trouble never reaches callers.
     */
    public static PostgresTelemetrySink start(SinkSettings settings) {
        PostgresTelemetrySink sink = open(settings);
        try {
            sink.connect(settings);
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
        return sink;
    }

    /**
     * Starts the ring without touching the database: records published now wait in the ring (up to
     * its size) until {@link #connect} succeeds. This lets an agent record a hub's start-up while the
     * database, possibly an embedded one, is still coming up.
     */
    public static PostgresTelemetrySink open(SinkSettings settings) {
        return new PostgresTelemetrySink(settings);
    }

    /**
     * Migrates the schema and opens the pool described by {@code target} (its database fields; the
     * ring settings stay those given to {@link #open}). Safe to call again after a failure.
     */
    public synchronized void connect(SinkSettings target) {
        if (closed) {
            throw new IllegalStateException("telemetry sink is closed");
        }
        if (dataSource.target() != null) {
            throw new IllegalStateException("telemetry sink is already connected");
        }
        AdminConnections admin = new AdminConnections(target);
        StorageLayout chosen = migrate(admin, target);
        HikariDataSource pool = openPool(target);
        this.settings = target;
        this.layout = chosen;
        dataSource.ready(pool);
        SinkMaintenance upkeep = new SinkMaintenance(admin, target, dirty, stats, ring);
        upkeep.start();
        this.maintenance = upkeep;
        LOG.info("telemetry sink writing to {} ({} layout, ring of {} records, batches of {})",
                target.describe(), chosen.fileTag(), ringSettings.ringSize(), ringSettings.batchSize());
    }

    public boolean isConnected() {
        return dataSource.target() != null;
    }

    private static StorageLayout migrate(AdminConnections admin, SinkSettings settings) {
        Connection c;
        try {
            c = openCreatingDatabase(admin, settings);
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

    /** A missing database is created when the configured user may, so a fresh server just works. */
    private static Connection openCreatingDatabase(AdminConnections admin, SinkSettings settings) throws SQLException {
        try {
            return admin.open();
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) {
                throw e;
            }
            String url = settings.jdbcUrl();
            int slash = url.indexOf('/', "jdbc:postgresql://".length());
            int end = url.indexOf('?', slash) < 0 ? url.length() : url.indexOf('?', slash);
            String database = url.substring(slash + 1, end);
            SinkSettings maintenanceDb = SinkSettings.builder(url.substring(0, slash + 1) + "postgres" + url.substring(end),
                    settings.adminUser(), settings.adminPassword()).connectTimeout(settings.connectTimeout()).build();
            try (Connection c = new AdminConnections(maintenanceDb).open()) {
                EmbeddedDatabase.createDatabaseIfMissing(c, database);
            }
            return admin.open();
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

    /**
     * Queues a tool execution given field by field, allocating nothing on the caller's thread; the sink
     * thread builds the {@link ToolExecutionRecord}. {@code startedAtMicros} counts from the epoch; sizes
     * below 0 are unknown. Arguments are checked as the record's constructor checks them.
     */
    public boolean publishExecution(String tenantId, String instanceId, String serverName, String toolName,
                                    long startedAtMicros, long durationMicros, Outcome outcome, String errorClass,
                                    String errorMessage, int argumentBytes, int resultBytes, String sessionId,
                                    String requestId, ExecutionSide side) {
        ToolExecutionRecord.check(tenantId, serverName, toolName, startedAtMicros, durationMicros, outcome, side);
        if (closed) {
            stats.dropped.increment();
            return false;
        }
        return ring.publishExecution(tenantId, instanceId, serverName, toolName, startedAtMicros, durationMicros, outcome,
                errorClass, errorMessage, argumentBytes, resultBytes, sessionId, requestId, side);
    }

    /** Blocks until everything published so far is written; false if that took longer than the timeout. */
    public boolean flush(Duration timeout) {
        try {
            boolean done = ring.flush(timeout);
            SinkMaintenance upkeep = maintenance;
            if (done && upkeep != null) {
                upkeep.refreshRollups();
            }
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
        SinkMaintenance upkeep = maintenance;
        if (upkeep != null) {
            upkeep.reportStats();
        }
        closed = true;
        ring.close(ringSettings.shutdownTimeout());
        SinkStats.Snapshot end = stats.snapshot();
        long unaccounted = end.accepted() - end.written() - end.rejected() - end.lost();
        if (unaccounted > 0) {
            stats.lost.add(unaccounted);
        }
        if (upkeep != null) {
            upkeep.refreshRollups();
            upkeep.close();
        }
        if (dataSource.target() instanceof HikariDataSource pool) {
            pool.close();
        }
        SinkStats.Snapshot s = stats.snapshot();
        LOG.info("telemetry sink closed: {} written, {} dropped, {} rejected, {} lost",
                s.written(), s.dropped(), s.rejected(), s.lost());
    }
}
