package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.text.SecretScrubber;
import io.mcphub.telemetry.model.MetricRecord;
import io.mcphub.telemetry.model.MetricScope;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.schema.DatabaseTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background upkeep on one daemon thread: partitions ahead and retention, compaction of the rollup
 * increments, and the sink's own counters reported as telemetry ({@code agent} scope). Each runs as
 * its own call: on Citus, DDL may not share a transaction with distributed writes.
 *
 * <p>The counters are written by a batch writer of their own, not through the ring: queued behind a
 * backlog (or dropped by the full ring they report on) they would say how things stood minutes ago.
 * Only the last report, at close, goes through the ring, drained with everything else.
 */
final class SinkMaintenance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkMaintenance.class);

    private static final Duration OWNER_SOCKET_TIMEOUT = Duration.ofMinutes(5);

    private final DatabaseTarget target;
    private final SinkSettings settings;
    private final SinkStats stats;
    private final TelemetryRing ring;
    private final BatchWriter counters;
    private final AutoCloseable countersPool;
    private final ScheduledExecutorService scheduler;

    SinkMaintenance(DatabaseTarget target, SinkSettings settings, SinkStats stats, TelemetryRing ring,
                    BatchWriter counters, AutoCloseable countersPool) {
        this.target = target;
        this.settings = settings;
        this.stats = stats;
        this.ring = ring;
        this.counters = counters;
        this.countersPool = countersPool;
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

    /**
     * Merges rollup increments into one row per key and expires old ones (a DML-only call, see
     * R__maintenance), then merges the tool digests' increments ({@link DigestCompaction}).
     */
    void compactRollups() {
        try (Connection c = owner()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT mcp_telemetry_compact(?)")) {
                ps.setInt(1, settings.retentionDays());
                ps.execute();
            }
            DigestCompaction.run(c);
        } catch (SQLException e) {
            LOG.debug("rollup compaction failed (will retry): {}", e.getMessage());
        }
    }

    /** Writes the sink's counters now; an unreachable database just skips this report. */
    void reportStats() {
        try {
            counters.write(UUID.randomUUID(), settings.tenant(), counterRecords());
        } catch (SQLException e) {
            LOG.debug("telemetry counters not written (next report in {}): {}", settings.statsInterval(), e.getMessage());
        }
    }

    /** The last report, queued behind what the sink still has to write. */
    void publishStats() {
        for (TelemetryRecord r : counterRecords()) {
            ring.publish(r);
        }
    }

    private List<TelemetryRecord> counterRecords() {
        SinkStats.Snapshot s = stats.snapshot();
        Instant now = Instant.now();
        List<TelemetryRecord> out = new ArrayList<>();
        out.add(metric(now, "telemetry.ring.dropped", s.dropped()));
        out.add(metric(now, "telemetry.records.accepted", s.accepted()));
        out.add(metric(now, "telemetry.records.written", s.written()));
        out.add(metric(now, "telemetry.records.rejected", s.rejected()));
        out.add(metric(now, "telemetry.records.lost", s.lost()));
        out.add(metric(now, "telemetry.spill.spilled", s.spilled()));
        out.add(metric(now, "telemetry.spill.replayed", s.replayed()));
        out.add(metric(now, "telemetry.spill.dropped", s.spillDropped()));
        out.add(metric(now, "telemetry.spill.kept", s.kept()));
        out.add(metric(now, "telemetry.ring.used", ring.size() - ring.remainingCapacity()));
        out.add(metric(now, "telemetry.ring.size", ring.size()));
        return out;
    }

    private MetricRecord metric(Instant now, String metric, double value) {
        return new MetricRecord(settings.tenant(), now, settings.instanceId(), MetricScope.AGENT, metric, value);
    }

    /**
     * Stops the schedule and the counters' connection; a task waiting on the database is not waited for
     * (its thread is a daemon), nor is a pool that cannot close quickly.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TimeBoxed.run("telemetry counters' connection", () -> {
            try {
                countersPool.close();
            } catch (Exception e) {
                LOG.debug("counters' connection close: {}", e.toString());
            }
        }, Duration.ofMillis(200));
    }
}
