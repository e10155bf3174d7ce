package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.text.SecretScrubber;
import io.mcphub.telemetry.model.MetricRecord;
import io.mcphub.telemetry.model.MetricScope;
import io.mcphub.telemetry.schema.DatabaseTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background upkeep on one daemon thread: partitions ahead and retention, compaction of the rollup
 * increments, and the sink's own counters reported as telemetry ({@code agent} scope). Each runs as
 * its own call: on Citus, DDL may not share a transaction with distributed writes.
 */
final class SinkMaintenance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkMaintenance.class);

    private static final Duration OWNER_SOCKET_TIMEOUT = Duration.ofMinutes(5);

    private final DatabaseTarget target;
    private final SinkSettings settings;
    private final SinkStats stats;
    private final TelemetryRing ring;
    private final ScheduledExecutorService scheduler;

    SinkMaintenance(DatabaseTarget target, SinkSettings settings, SinkStats stats, TelemetryRing ring) {
        this.target = target;
        this.settings = settings;
        this.stats = stats;
        this.ring = ring;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-telemetry-maintenance");
            t.setDaemon(true);
            return t;
        });
    }

    private Connection owner() throws SQLException {
        return target.openUser("mcp-telemetry-maintenance", settings.connectTimeout(), OWNER_SOCKET_TIMEOUT);
    }

    void start() {
        schedule(this::maintainPartitions, settings.maintenanceInterval());
        schedule(this::compactRollups, settings.compactInterval());
        schedule(this::reportStats, settings.statsInterval());
    }

    private void schedule(Runnable task, Duration every) {
        long millis = Math.max(10, every.toMillis());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("telemetry maintenance task failed: {}", SecretScrubber.describe(e));
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    void maintainPartitions() {
        try (Connection c = owner();
             PreparedStatement ps = c.prepareStatement("SELECT mcp_telemetry_maintain(?, 3)")) {
            ps.setInt(1, settings.retentionDays());
            ps.execute();
        } catch (SQLException e) {
            LOG.warn("partition maintenance failed (will retry): {}", SecretScrubber.scrub(e.getMessage()));
        }
    }

    /** Merges rollup increments into one row per key and expires old ones (a DML-only call, see R__maintenance). */
    void compactRollups() {
        try (Connection c = owner();
             PreparedStatement ps = c.prepareStatement("SELECT mcp_telemetry_compact(?)")) {
            ps.setInt(1, settings.retentionDays());
            ps.execute();
        } catch (SQLException e) {
            LOG.debug("rollup compaction failed (will retry): {}", e.getMessage());
        }
    }

    void reportStats() {
        SinkStats.Snapshot s = stats.snapshot();
        Instant now = Instant.now();
        report(now, "telemetry.ring.dropped", s.dropped());
        report(now, "telemetry.records.accepted", s.accepted());
        report(now, "telemetry.records.written", s.written());
        report(now, "telemetry.records.rejected", s.rejected());
        report(now, "telemetry.records.lost", s.lost());
        report(now, "telemetry.ring.used", ring.size() - ring.remainingCapacity());
        report(now, "telemetry.ring.size", ring.size());
    }

    private void report(Instant now, String metric, double value) {
        ring.publish(new MetricRecord(settings.tenant(), now, settings.instanceId(), MetricScope.AGENT, metric, value));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
