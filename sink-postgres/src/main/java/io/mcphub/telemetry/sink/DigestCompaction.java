package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.DigestMerge;
import io.mcphub.telemetry.schema.DigestRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges each key's tool digest increments (tenant, bucket, side; V010) into one row, for every tenant
 * the login may see (all for the schema owner, its own for a tenant's login). SQL cannot read the
 * digest format, so this runs here rather than in {@code mcp_telemetry_compact}. Safe beside writers
 * and another compaction: increments are taken by {@code DELETE ... RETURNING} and their merge
 * inserted in the same transaction, so each is merged once and readers see either the increments or
 * their merge; two compactions at once may leave two merged rows for a key, which the next round
 * merges (readers add a key's rows up anyway). A day's increments also reach its week (V012) in the
 * transaction that compacts them, as one increment of the week, merged when the weeks' turn comes.
 */
public final class DigestCompaction {
    /** Days before weeks: the weeks' increments of this run are then merged in it too. */
    static final List<String> TABLES = List.of(DigestRows.HOURS, DigestRows.DAYS, DigestRows.WEEKS);
    /** Keys merged per transaction: bounds the memory a round holds. */
    private static final int KEYS_PER_ROUND = 32;

    private DigestCompaction() {
    }

    /** Compacts every key with increments; returns how many keys were merged. */
    public static int run(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int merged = 0;
        try {
            c.setAutoCommit(true);
            for (String table : TABLES) {
                List<String> tenants = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT tenant_id FROM " + table + " WHERE NOT compacted");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tenants.add(rs.getString(1));
                    }
                }
                for (String tenant : tenants) {
                    int round;
                    do {
                        round = compactRound(c, table, tenant);
                        merged += round;
                    } while (round == KEYS_PER_ROUND);
                }
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return merged;
    }

    /** Merges up to {@link #KEYS_PER_ROUND} keys of one tenant in one transaction; returns how many. */
    private static int compactRound(Connection c, String table, String tenant) throws SQLException {
        c.setAutoCommit(false);
        try {
            DigestMerge<DigestRows.Key> keys = new DigestMerge<>();
            // what the days' increments add to their weeks (their compacted rows are in the weeks already)
            DigestMerge<DigestRows.Key> weeks = table.equals(DigestRows.DAYS) ? new DigestMerge<>() : null;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " d USING (SELECT DISTINCT bucket, side FROM "
                    + table + " WHERE tenant_id = ? AND NOT compacted LIMIT " + KEYS_PER_ROUND + ") f "
                    + "WHERE d.tenant_id = ? AND d.bucket = f.bucket AND d.side = f.side "
                    + "RETURNING d.bucket, d.side, d.digest, d.compacted")) {
                ps.setString(1, tenant);
                ps.setString(2, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        DigestRows.Key key = new DigestRows.Key(tenant, rs.getObject(1, OffsetDateTime.class), rs.getString(2));
                        byte[] digest = rs.getBytes(3);
                        keys.add(key, digest);
                        if (weeks != null && !rs.getBoolean(4)) {
                            weeks.add(key.week(), digest);
                        }
                    }
                }
            }
            int merged = keys.size();
            if (weeks != null) {
                DigestRows.insertMergedDays(c, keys.drain());
                DigestRows.insert(c, DigestRows.WEEKS, weeks.drain(), false);
            } else {
                DigestRows.insert(c, table, keys.drain(), true);
            }
            c.commit();
            return merged;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
