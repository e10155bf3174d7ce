package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.model.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Rows of the tool digest tables (V010's hourly and daily, V012's weekly): one home for their key and
 * columns, for everything that writes merged digests (the upgrades that fill them, compaction).
 */
public final class DigestRows {
    /** The hourly, daily and weekly digest tables, in the order compaction merges them (days feed weeks). */
    public static final String HOURS = "rollup_tool_digest_1h";
    public static final String DAYS = "rollup_tool_digest_1d";
    public static final String WEEKS = "rollup_tool_digest_1w";

    private DigestRows() {
    }

    /** What a digest row is the figures of: a tenant's tools of one side in one bucket. */
    public record Key(String tenant, OffsetDateTime bucket, String side) {
        /** The key of the week (Monday 00:00 UTC on) that holds this key's bucket. */
        public Key week() {
            return new Key(tenant, OffsetDateTime.ofInstant(Times.weekStart(bucket.toInstant()), ZoneOffset.UTC), side);
        }
    }

    /** Inserts {@code rows} into {@code table} in one batch, flagged {@code compacted} (merges) or not (increments). */
    public static void insert(Connection c, String table, Map<Key, byte[]> rows, boolean compacted) throws SQLException {
        try (Batch batch = new Batch(c, table, compacted)) {
            batch.add(rows);
            batch.finish();
        }
    }

    /**
     * Inserts days merged by compaction: compacted and, since V012, in their week (its check refuses a
     * compacted day that is not, which is how the compaction of an older agent is kept out).
     */
    public static void insertMergedDays(Connection c, Map<Key, byte[]> rows) throws SQLException {
        try (Batch batch = new Batch(c, DAYS, ", compacted, in_week", ", true, true")) {
            batch.add(rows);
            batch.finish();
        }
    }

    /** Rows inserted into one table in batches of {@link #SIZE}: {@link #finish} sends the rest. */
    public static final class Batch implements AutoCloseable {
        static final int SIZE = 200;
        private final PreparedStatement insert;
        private int pending;

        /** Rows flagged {@code compacted} (merges) or not (increments). */
        public Batch(Connection c, String table, boolean compacted) throws SQLException {
            this(c, table, ", compacted", ", " + compacted);
        }

        private Batch(Connection c, String table, String flagColumns, String flagValues) throws SQLException {
            insert = c.prepareStatement("INSERT INTO " + table + " (tenant_id, bucket, side, digest" + flagColumns + ") "
                    + "VALUES (?, ?, ?, ?" + flagValues + ")");
        }

        public void add(Map<Key, byte[]> rows) throws SQLException {
            for (Map.Entry<Key, byte[]> e : rows.entrySet()) {
                insert.setString(1, e.getKey().tenant());
                insert.setObject(2, e.getKey().bucket());
                insert.setString(3, e.getKey().side());
                insert.setBytes(4, e.getValue());
                insert.addBatch();
                if (++pending == SIZE) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
        }

        /** Sends the rows still queued. */
        public void finish() throws SQLException {
            if (pending > 0) {
                insert.executeBatch();
                pending = 0;
            }
        }

        @Override
        public void close() throws SQLException {
            insert.close();
        }
    }
}
