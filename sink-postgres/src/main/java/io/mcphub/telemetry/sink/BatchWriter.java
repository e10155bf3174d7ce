package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one tenant's records in one transaction: the tenant is set for row-level security, each
 * table's rows are COPYed into a staging table and merged, and the batch id is recorded so that a
 * batch retried after a lost commit acknowledgement is not stored twice.
 *
 * <p>When the database refuses a batch for its content (not for being unreachable), the batch is
 * split in halves until the offending records are isolated; those are rejected and counted, the
 * rest is stored. Halves get ids derived from the parent's, so a retry after a mid-split outage
 * still skips what was already committed.
 */
final class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    private static final Comparator<TelemetryRecord> BY_TABLE = Comparator.comparingInt(Tables::index);

    private final DataSource pool;
    private final SinkStats stats;
    private final DirtyRange dirty;
    private final CopyEncoder encoder = new CopyEncoder();
    private long lastRejectLog;

    BatchWriter(DataSource pool, SinkStats stats, DirtyRange dirty) {
        this.pool = pool;
        this.stats = stats;
        this.dirty = dirty;
    }

    /** Stores what it can; throws only errors worth retrying (database unreachable, overloaded, ...). */
    void write(UUID batchId, String tenant, List<TelemetryRecord> records) throws SQLException {
        try {
            writeTransaction(batchId, tenant, records);
        } catch (SQLException | RuntimeException e) {
            if (isTransient(e)) {
                throw e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), "08000", e);
            }
            if (records.size() == 1) {
                reject(records.get(0), e);
                return;
            }
            int half = records.size() / 2;
            write(derived(batchId, 'L'), tenant, records.subList(0, half));
            write(derived(batchId, 'R'), tenant, records.subList(half, records.size()));
        }
    }

    private void writeTransaction(UUID batchId, String tenant, List<TelemetryRecord> records) throws SQLException {
        List<TelemetryRecord> ordered = new ArrayList<>(records);
        ordered.sort(BY_TABLE);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!claimBatch(c, batchId, tenant, ordered.size())) {
                    c.rollback();
                    LOG.debug("batch {} was already committed; skipped", batchId);
                    return;
                }
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                try (Statement st = c.createStatement()) {
                    int start = 0;
                    while (start < ordered.size()) {
                        TableSpec<?> spec = Tables.of(ordered.get(start));
                        int end = start;
                        while (end < ordered.size() && Tables.of(ordered.get(end)) == spec) {
                            end++;
                        }
                        st.execute(spec.stagingDdl());
                        copyRows(copy, spec, ordered.subList(start, end));
                        st.executeUpdate(spec.mergeSql());
                        start = end;
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        }
        stats.written.add(records.size());
        stats.batches.increment();
        markDirty(records);
    }

    private static boolean claimBatch(Connection c, UUID batchId, String tenant, int rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('mcp.tenant_id', ?, true)")) {
            ps.setString(1, tenant);
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_batches (batch_id, tenant_id, row_count) "
                + "VALUES (?, ?, ?) ON CONFLICT (batch_id) DO NOTHING")) {
            ps.setObject(1, batchId);
            ps.setString(2, tenant);
            ps.setInt(3, rows);
            return ps.executeUpdate() == 1;
        }
    }

    private void copyRows(CopyManager copy, TableSpec<?> spec, List<TelemetryRecord> rows) throws SQLException {
        CopyIn in = copy.copyIn(spec.copySql());
        try {
            encoder.begin(in::writeToCopy);
            for (TelemetryRecord row : rows) {
                spec.encodeRow(row, encoder);
            }
            encoder.finish();
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void markDirty(List<TelemetryRecord> records) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (TelemetryRecord r : records) {
            if (r instanceof ToolExecutionRecord e) {
                min = Math.min(min, e.startedAtMicros());
                max = Math.max(max, e.startedAtMicros());
            }
        }
        if (min <= max) {
            dirty.add(Times.ofMicros(min), Times.ofMicros(max));
        }
    }

    private void reject(TelemetryRecord record, Exception cause) {
        stats.rejected.increment();
        String message = "rejected a " + record.getClass().getSimpleName() + " the database refused: " + cause.getMessage();
        stats.lastError.set(message);
        long now = System.nanoTime();
        if (lastRejectLog == 0 || now - lastRejectLog > 60_000_000_000L) {
            lastRejectLog = now;
            LOG.warn("{} (further rejects within a minute are only counted)", message);
        }
    }

    /** Connection trouble, overload, shutdown, serialization: worth retrying with the same batch. */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null) {
                    return true;
                }
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                        || state.startsWith("58") || state.startsWith("40") || state.equals("55P03")) {
                    return true;
                }
                return false;
            }
        }
        return false;
    }

    private static UUID derived(UUID parent, char side) {
        return UUID.nameUUIDFromBytes((parent.toString() + side).getBytes(StandardCharsets.US_ASCII));
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
