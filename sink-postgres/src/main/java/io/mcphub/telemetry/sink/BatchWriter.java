package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.text.SecretScrubber;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.ApiRequestRecord;
import io.mcphub.telemetry.model.OAuthFlowRecord;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one tenant's records in one transaction, with the batch's rollup increments, and records the
 * batch id so that a batch retried after a lost commit acknowledgement is not stored twice (nor its
 * increments added twice). Two ways, by the pool's login:
 * <ul>
 * <li>the schema owner's: append-only rows are COPYed (binary) straight into their tables (on
 *     TimescaleDB the hypertables in {@code mcp_store}), registry rows through a staging table and
 *     an upsert. The owner may write any tenant anyway; the records of a batch are one tenant's.</li>
 * <li>a tenant's login: PostgreSQL refuses COPY into tables with row-level security, so every table's
 *     rows are COPYed into a temporary staging table and moved with {@code INSERT ... SELECT}, which
 *     the policies check row by row.</li>
 * </ul>
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
    private long lastRejectLog;

    /**
     * How the connected database is written: its layout, and for the owner's login the relation each
     * append-only table's rows are COPYed into (empty for a tenant's login, which stages everything).
     */
    record WriteMode(StorageLayout layout, Map<String, String> copyTargets) {
        WriteMode {
            copyTargets = Map.copyOf(copyTargets);
        }

        /** For a tenant's login: everything staged. */
        static WriteMode staged(StorageLayout layout) {
            return new WriteMode(layout, Map.of());
        }

        /**
         * For the owner's login: each append-only table of the sink, as the schema has it (the table
         * itself, not a view of the same name: TimescaleDB's hypertables live in {@code mcp_store}).
         */
        static WriteMode direct(Connection owner, StorageLayout layout) throws SQLException {
            Map<String, String> targets = new HashMap<>();
            try (PreparedStatement ps = owner.prepareStatement("SELECT format('%I.%I', n.nspname, c.relname) "
                    + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE c.relname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
                    + "AND n.nspname IN ('public', 'mcp_store') ORDER BY n.nspname = 'mcp_store' DESC LIMIT 1")) {
                for (TableSpec<?> spec : TableSpec.staged()) {
                    if (spec.upsert()) {
                        continue;
                    }
                    ps.setString(1, spec.table());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            targets.put(spec.table(), rs.getString(1));
                        }
                    }
                }
            }
            return new WriteMode(layout, targets);
        }
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
        Rollups.Accumulator rollups = new Rollups.Accumulator(m.layout());
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (m.layout() == StorageLayout.CITUS) {
                    // the rows go to the workers, so nothing gives this transaction a coordinator xid before it
                    // takes ids from the coordinator's sequences; the live stream's snapshot check needs one
                    try (Statement st = c.createStatement()) {
                        st.execute("SELECT txid_current()");
                    }
                }
                if (!claimBatch(c, batchId, tenant, ordered.size())) {
                    c.rollback();
                    stats.duplicates.add(records.size());
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
                        store(st, copy, spec, ordered.subList(start, end), m, rollups);
                        start = end;
                    }
                    for (Rollups.Increments<?> increments : rollups.increments()) {
                        store(st, copy, increments.spec(), increments.rows(), m, null);
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

    /** What each pooled session runs once: its staging tables (temporary, emptied at every commit). */
    static String sessionSql() {
        StringBuilder sql = new StringBuilder("SET client_min_messages = warning");
        for (TableSpec<?> spec : TableSpec.staged()) {
            sql.append("; ").append(spec.stagingDdl());
        }
        return sql.toString();
    }

    /** Stores one table's rows; tool executions, API requests and OAuth flow steps also go into {@code rollups} as they are encoded. */
    private void store(Statement st, CopyManager copy, TableSpec<?> spec, List<?> rows, WriteMode m,
                       Rollups.Accumulator rollups) throws SQLException {
        String target = m.copyTargets().get(spec.table());
        if (target != null) {
            copyRows(copy, spec.copySql(target), spec, rows, rollups);
        } else {
            copyRows(copy, spec.copySql(spec.stagingTable()), spec, rows, rollups);
            st.executeUpdate(spec.mergeSql(m.layout()));
        }
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

    private void copyRows(CopyManager copy, String copySql, TableSpec<?> spec, List<?> rows, Rollups.Accumulator rollups)
            throws SQLException {
        CopyIn in = copy.copyIn(copySql);
        try {
            encoder.begin(in::writeToCopy);
            for (Object row : rows) {
                spec.encodeRow(row, encoder);
                if (rollups != null) {
                    if (row instanceof ToolExecutionRecord e) {
                        rollups.add(e);
                    } else if (row instanceof ApiRequestRecord r) {
                        rollups.add(r);
                    } else if (row instanceof OAuthFlowRecord r) {
                        rollups.add(r);
                    }
                }
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
        String message = "rejected a " + record.getClass().getSimpleName() + " the database refused: "
                + SecretScrubber.scrub(cause.getMessage());
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
