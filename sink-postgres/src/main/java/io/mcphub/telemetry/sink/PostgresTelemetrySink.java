package io.mcphub.telemetry.sink;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.ToolCall;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.schema.Databases;
import io.mcphub.telemetry.schema.MigrationException;
import io.mcphub.telemetry.schema.SchemaMigrator;
import io.mcphub.telemetry.schema.TenantLogins;
import io.mcphub.telemetry.sink.spill.SpillFile;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline behind one object: the ring and the sink thread from {@link #open}, then, from
 * {@link #connect}, the migrated schema, the application pool and maintenance. Publishing is safe
 * from any thread and never blocks.
 */
public final class PostgresTelemetrySink implements RecordSink {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresTelemetrySink.class);
    private static final Duration OWNER_SOCKET_TIMEOUT = Duration.ofMinutes(5);
    /**
     * At exit, batches under way that finish none for this long mean a database that does not answer:
     * the drain stops there. A healthy database commits a batch well within it even on a busy machine.
     */
    static final Duration STALL = Duration.ofMillis(500);
    /** How long closing the pool may take at exit when the database did not take the queue. */
    private static final Duration TEARDOWN = Duration.ofMillis(200);
    /** At exit, the longest the queue may take to go to the spill file (local disk: well under it). */
    private static final Duration SPILL_DRAIN = Duration.ofMillis(1_000);
    /** At exit, how long lanes that were only waiting to retry get to spill their batches themselves. */
    private static final Duration LANES_SPILL = Duration.ofMillis(100);

    private final SinkSettings settings;
    private final SinkStats stats = new SinkStats();
    private final WriteProgress progress = new WriteProgress();
    private final DeferredDataSource dataSource = new DeferredDataSource();
    private final TelemetryRing ring;
    private final SinkHandler handler;
    private final List<BatchWriter> writers = new ArrayList<>();
    private final WriteLanes lanes;
    private final DropLog drops;
    private final SpillFile spill;
    private final SpillReplay replay;
    private volatile DatabaseTarget target;
    private volatile SinkMaintenance maintenance;
    private volatile StorageLayout layout;
    private volatile boolean closed;
    private final Object closeLock = new Object();

    private PostgresTelemetrySink(SinkSettings settings) {
        this.settings = settings;
        for (int i = 0; i < settings.poolSize(); i++) {
            writers.add(new BatchWriter(dataSource, stats));
        }
        this.lanes = new WriteLanes(writers);
        this.spill = openSpill(settings);
        this.handler = new SinkHandler(lanes, stats, progress, settings, spill);
        this.ring = new TelemetryRing(settings.ringSize(), handler, stats, settings.flushInterval());
        this.drops = new DropLog(stats.dropped::sum, settings.ringSize(), this::databaseState).start();
        if (spill != null) {
            stats.keptBy(spill::keptRecords);
            this.replay = new SpillReplay(spill, handler, stats, () -> dataSource.target() != null).start();
        } else {
            this.replay = null;
        }
    }

    /** The spill file, or none (with a warning) when its directory cannot be used: telemetry goes on without it. */
    private static SpillFile openSpill(SinkSettings settings) {
        if (settings.spillDir() == null) {
            return null;
        }
        try {
            return SpillFile.open(settings.spillDir(), settings.spillMaxBytes());
        } catch (RuntimeException e) {
            LOG.warn("telemetry spill file disabled: {}; records the database cannot take are then kept only in the "
                    + "ring (set spill.dir to a writable directory)", e.getMessage());
            return null;
        }
    }

    /**
     * Starts the pipeline and connects. Fails with a message naming the problem when the database
     * cannot be reached or migrated; once started, database trouble never reaches callers.
     */
    public static PostgresTelemetrySink start(SinkSettings settings, DatabaseTarget target) {
        PostgresTelemetrySink sink = open(settings);
        try {
            sink.connect(target);
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
     * Prepares the schema (migrates it with the owner's login, or checks it is there with a tenant's) and
     * opens the pool of {@code target}. Safe to call again after a failure. {@link #close} does not wait
     * for a call under way (a database that accepts connections but never answers holds it for minutes).
     */
    public synchronized void connect(DatabaseTarget target) {
        if (closed) {
            throw new IllegalStateException("telemetry sink is closed");
        }
        if (this.target != null) {
            throw new IllegalStateException("telemetry sink is already connected");
        }
        StorageLayout chosen = prepare(target);
        String login = target.writerLogin(settings.tenant());
        HikariDataSource pool = openPool(target, "mcp-telemetry", settings.poolSize(), 1);
        BatchWriter.WriteMode mode;
        if (TenantLogins.tenantOf(login) != null) {
            mode = BatchWriter.WriteMode.staged(chosen);
        } else {
            try (Connection c = pool.getConnection()) {
                mode = BatchWriter.WriteMode.direct(c, chosen);
            } catch (SQLException e) {
                pool.close();
                throw new TelemetryStartupException("cannot read the telemetry schema at " + target.describe() + ": "
                        + e.getMessage(), e);
            }
        }
        this.layout = chosen;
        this.target = target;
        for (BatchWriter w : writers) {
            w.connected(mode);
        }
        dataSource.ready(pool);
        progress.connected();
        ring.connected();
        if (replay != null) {
            replay.wake();
        }
        // the counters get a connection of their own: the lanes may hold every pooled one in a stuck batch
        HikariDataSource countersPool = openPool(target, "mcp-telemetry-counters", 1, 0);
        BatchWriter counters = new BatchWriter(countersPool, new SinkStats());
        counters.connected(mode);
        SinkMaintenance upkeep = new SinkMaintenance(target, settings, stats, ring, counters, countersPool);
        this.maintenance = upkeep;
        if (closed) {
            // closed while this connected (close does not wait for a connection attempt): close what was opened
            upkeep.close();
            pool.close();
            throw new IllegalStateException("telemetry sink is closed");
        }
        upkeep.start();
        LOG.info("telemetry sink writing to {} as {} ({} layout, ring of {} records, batches of {})",
                target.describe(), login, chosen.sqlName(), settings.ringSize(), settings.batchSize());
    }

    private StorageLayout prepare(DatabaseTarget target) {
        String loginTenant = target.userTenant();
        if (loginTenant != null && !loginTenant.equals(settings.tenant())) {
            throw new TelemetryStartupException("POSTGRES_USER " + target.user() + " is the database login of tenant '"
                    + loginTenant + "', but this hub's tenant is '" + settings.tenant() + "' (set tenant, or the "
                    + "login of this tenant, " + TenantLogins.role(settings.tenant()) + ")");
        }
        Connection c;
        try {
            c = loginTenant != null
                    ? target.openUser("mcp-telemetry-admin", settings.connectTimeout(), OWNER_SOCKET_TIMEOUT)
                    : openCreatingDatabase(target);
        } catch (SQLException e) {
            throw new TelemetryStartupException("cannot connect to PostgreSQL at " + target.describe()
                    + " (check POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD): "
                    + e.getMessage(), e);
        }
        try (c) {
            StorageLayout chosen;
            if (loginTenant != null) {
                // a tenant's login may not migrate: the schema owner did, with setup-db
                chosen = SchemaMigrator.installedLayout(c);
                if (chosen == null) {
                    throw new TelemetryStartupException("the telemetry schema is missing in " + target.describe()
                            + ": run `java -jar mcp-telemetry-agent.jar setup-db` with the schema owner's login "
                            + "(POSTGRES_USER), which also creates the login " + target.user());
                }
            } else {
                chosen = new SchemaMigrator(settings.layout(), settings.timescaleWanted()).migrate(c).layout();
                TenantLogins.ensure(c, settings.tenant(), target.tenantPassword());
            }
            try (var ps = c.prepareStatement("SELECT mcp_telemetry_maintain(?, 3)")) {
                ps.setInt(1, settings.retentionDays());
                ps.execute();
            }
            return chosen;
        } catch (MigrationException e) {
            throw e;
        } catch (SQLException e) {
            throw new TelemetryStartupException("cannot prepare the telemetry schema at " + target.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    /** A missing database is created when the configured user may, so a fresh server just works. */
    private Connection openCreatingDatabase(DatabaseTarget target) throws SQLException {
        try {
            return target.openUser("mcp-telemetry-admin", settings.connectTimeout(), OWNER_SOCKET_TIMEOUT);
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) {
                throw e;
            }
            try (Connection c = target.maintenanceDatabase().openUser("mcp-telemetry-admin", settings.connectTimeout(),
                    OWNER_SOCKET_TIMEOUT)) {
                Databases.createIfMissing(c, target.database());
            }
            return target.openUser("mcp-telemetry-admin", settings.connectTimeout(), OWNER_SOCKET_TIMEOUT);
        }
    }

    private HikariDataSource openPool(DatabaseTarget target, String name, int size, int minIdle) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(target.writerDataSource(settings.tenant(), "mcp-telemetry-sink", settings.connectTimeout(),
                Duration.ofMinutes(2)));
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(minIdle);
        config.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(settings.connectTimeout().toMillis(), 5_000)));
        // Outages after start are the sink's to ride out; only the first connection must work.
        config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
        config.setConnectionInitSql(BatchWriter.sessionSql());
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new TelemetryStartupException("cannot open the telemetry connection pool as "
                    + target.writerLogin(settings.tenant()) + " (check MCP_HUB_DB_PASSWORD): " + e.getMessage(), e);
        }
    }

    /** Queues a record; false (and counted as dropped) when the ring is full or the sink closed. */
    @Override
    public boolean publish(TelemetryRecord record) {
        if (closed) {
            stats.dropped.increment();
            return false;
        }
        return ring.publish(record);
    }

    /** The call is checked here, the one place, as its record's constructor would check it. */
    @Override
    public boolean publishExecution(Origin origin, ToolCall call, CapturedPayloads payloads) {
        ToolCall.check(call);
        if (closed) {
            stats.dropped.increment();
            return false;
        }
        return ring.publishExecution(origin, call, payloads);
    }

    /**
     * Blocks until everything published so far is written (what went to the spill file too, replayed);
     * false if that took longer than the timeout.
     */
    @Override
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!ring.flush(timeout)) {
                return false;
            }
            while (spill != null && spill.hasBacklog()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public SinkStats.Snapshot stats() {
        return stats.snapshot();
    }

    /**
     * Also hands each tool execution and server report the sink takes to {@code exporter}, on the sink's
     * thread, in the order taken: a second consumer of the same records (e.g. OTLP export), which must
     * never block.
     */
    public void exportExecutionsTo(java.util.function.Consumer<TelemetryRecord> exporter) {
        handler.exportExecutionsTo(exporter);
    }

    /** The storage layout of the connected database; null before {@link #connect}. */
    public StorageLayout layout() {
        return layout;
    }

    /** The database written to; null before {@link #connect}. */
    public DatabaseTarget target() {
        return target;
    }

    /**
     * Whether waiting for the queue at exit can store anything: connected, the last attempt did not
     * fail, and batches under way are moving.
     */
    @Override
    public boolean writable() {
        return dataSource.target() != null && !progress.failing() && progress.stalledNanos() <= STALL.toNanos();
    }

    /** For log lines: what the database is doing for the sink. */
    String databaseState() {
        if (dataSource.target() == null) {
            return "not connected yet";
        }
        if (progress.failing()) {
            String error = stats.lastError.get();
            return "unreachable" + (error == null ? "" : " (" + error + ")");
        }
        long stalled = progress.stalledNanos();
        if (stalled > STALL.toNanos()) {
            return String.format(Locale.ROOT, "not answering for %.1f s", stalled / 1e9);
        }
        return "writing, slower than records arrive";
    }

    /**
     * Writes what is still queued, then releases the database. The queue is drained for up to the
     * shutdown timeout only while the database takes batches; when it cannot (not connected, unreachable,
     * not answering) the database is not waited for: what is queued goes to the spill file (local disk,
     * up to a second), or without one is counted as lost, so that an exiting hub is never held up by
     * telemetry. Never waits for a {@link #connect} under way.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        SinkMaintenance upkeep = maintenance;
        String state = databaseState();
        boolean writable = writable();
        if (upkeep != null) {
            upkeep.close();
            if (writable) {
                upkeep.publishStats();
            }
        }
        if (replay != null) {
            replay.close();
        }
        ring.close(writable ? settings.shutdownTimeout() : Duration.ZERO, progress, STALL.toNanos(), SPILL_DRAIN);
        boolean drained = writable && writable();
        // not drained: a lane may be blocked on the database; it is not waited for (the pool aborts its connection)
        lanes.close(drained ? Duration.ofSeconds(2) : spill != null ? LANES_SPILL : Duration.ZERO);
        handler.spillInFlight();
        drops.close();
        ring.closeBooks();
        SinkStats.Snapshot end = stats.snapshot();
        long recovered = spill == null ? 0 : spill.recovered();
        long unaccounted = end.accepted() + recovered - end.written() - end.rejected() - end.lost() - end.kept()
                - stats.duplicates.sum();
        if (unaccounted > 0) {
            stats.lost.add(unaccounted);
        }
        if (dataSource.target() instanceof HikariDataSource pool) {
            TimeBoxed.run("telemetry connection pool", pool::close, drained ? Duration.ofSeconds(2) : TEARDOWN);
        }
        if (spill != null) {
            spill.close();
        }
        SinkStats.Snapshot s = stats.snapshot();
        String kept = s.kept() > 0 ? String.format(Locale.ROOT, ", %d kept in the spill file %s for the next start",
                s.kept(), spill.directory()) : "";
        if (s.lost() > 0) {
            LOG.warn("telemetry sink closed: {} written, {} dropped, {} rejected, {} lost{} (database: {})",
                    s.written(), s.dropped(), s.rejected(), s.lost(), kept, writable ? databaseState() : state);
        } else if (s.kept() > 0) {
            LOG.warn("telemetry sink closed: {} written, {} dropped, {} rejected{} (database: {})",
                    s.written(), s.dropped(), s.rejected(), kept, writable ? databaseState() : state);
        } else {
            LOG.info("telemetry sink closed: {} written, {} dropped, {} rejected, {} lost",
                    s.written(), s.dropped(), s.rejected(), s.lost());
        }
    }
}
