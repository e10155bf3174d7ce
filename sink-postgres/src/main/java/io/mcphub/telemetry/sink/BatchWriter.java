package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.schema.TenantLogins;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one tenant's records in one transaction, as that tenant's login (row-level security checks
 * every row): each table's rows are COPYed into a staging table and moved, the batch's rollup
 * increments likewise, and the batch id is recorded so that a batch retried after a lost commit
 * acknowledgement is not stored twice (nor its increments added twice).
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
    private final CopyEncoder encoder = new CopyEncoder();
    private volatile WriteMode mode;
    /** Tenants whose login this writer made sure of, on this database server. */
    private final Set<String> loginsMade = new HashSet<>();
    private long lastRejectLog;

    /**
     * How the connected database is written: its layout, and whether the pool's login is the owner's,
     * which switches to each batch's tenant (its login is made when first needed).
     */
    record WriteMode(StorageLayout layout, boolean switchesRole) {
    }

    BatchWriter(DataSource pool, SinkStats stats) {
        this.pool = pool;
        this.stats = stats;
    }

    void connected(WriteMode writeMode) {
        this.mode = writeMode;
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
        WriteMode m = mode;
        if (m == null) {
            throw new DeferredDataSource.NotConnectedYet();
        }
        List<TelemetryRecord> ordered = new ArrayList<>(records);
        ordered.sort(BY_TABLE);
        List<ToolExecutionRecord> executions = new ArrayList<>();
        for (TelemetryRecord r : ordered) {
            if (r instanceof ToolExecutionRecord e) {
                executions.add(e);
            }
        }
        try (Connection c = pool.getConnection()) {
            if (m.switchesRole() && !loginsMade.contains(tenant)) {
                c.setAutoCommit(true);
                TenantLogins.ensure(c, tenant, null);
                loginsMade.add(tenant);
            }
            c.setAutoCommit(false);
            try {
                if (m.switchesRole()) {
                    actAs(c, tenant);
                }
                if (m.layout() == StorageLayout.CITUS) {
                    // the rows go to the workers, so nothing gives this transaction a coordinator xid before it
                    // takes ids from the coordinator's sequences; the live stream's snapshot check needs one
                    try (Statement st = c.createStatement()) {
                        st.execute("SELECT txid_current()");
                    }
                }
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
                        store(st, copy, spec, ordered.subList(start, end), m.layout());
                        start = end;
                    }
                    for (Rollups.Increments<?> increments : Rollups.of(executions, m.layout())) {
                        store(st, copy, increments.spec(), increments.rows(), m.layout());
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
    }

    private void actAs(Connection c, String tenant) throws SQLException {
        try {
            TenantLogins.actAs(c, tenant);
        } catch (SQLException e) {
            if (TenantLogins.UNDEFINED_ROLE.equals(e.getSQLState())) {
                // the login was dropped since it was made: made again when the batch is retried
                loginsMade.remove(tenant);
                throw new SQLTransientException("tenant login of " + tenant + " is missing: " + e.getMessage(), "08000", e);
            }
            throw e;
        }
    }

    /**
     * What each pooled session runs once: its staging tables (temporary, emptied at every commit).
     * When the session switches to tenants' roles they are the login's, granted to the tenants'
     * group, so that every tenant's transaction can use the same ones.
     */
    static String sessionSql(boolean switchesRole) {
        StringBuilder sql = new StringBuilder("SET client_min_messages = warning");
        for (TableSpec<?> spec : TableSpec.staged()) {
            sql.append("; ").append(spec.stagingDdl());
            if (switchesRole) {
                sql.append("; GRANT SELECT, INSERT ON ").append(spec.stagingTable()).append(" TO ").append(TenantLogins.GROUP);
            }
        }
        return sql.toString();
    }

    private void store(Statement st, CopyManager copy, TableSpec<?> spec, List<?> rows, StorageLayout layout)
            throws SQLException {
        copyRows(copy, spec, rows);
        st.executeUpdate(spec.mergeSql(layout));
    }

    private static boolean claimBatch(Connection c, UUID batchId, String tenant, int rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_batches (tenant_id, batch_id, row_count) "
                + "VALUES (?, ?, ?) ON CONFLICT (tenant_id, batch_id) DO NOTHING")) {
            ps.setString(1, tenant);
            ps.setObject(2, batchId);
            ps.setInt(3, rows);
            return ps.executeUpdate() == 1;
        }
    }

    private void copyRows(CopyManager copy, TableSpec<?> spec, List<?> rows) throws SQLException {
        CopyIn in = copy.copyIn(spec.copySql());
        try {
            encoder.begin(in::writeToCopy);
            for (Object row : rows) {
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
