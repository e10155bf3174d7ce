package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.ToolDigest;
import io.mcphub.telemetry.model.ToolTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges each key's tool digest increments (tenant, bucket, side; V010) into one row, for every tenant
 * the login may see (all for the schema owner, its own for a tenant's login). SQL cannot read the
 * digest format, so this runs here rather than in {@code mcp_telemetry_compact}. Safe beside writers
 * and another compaction: increments are taken by {@code DELETE ... RETURNING} and their merge
 * inserted in the same transaction, so each is merged once and readers see either the increments or
 * their merge; two compactions at once may leave two merged rows for a key, which the next round
 * merges (readers add a key's rows up anyway).
 */
public final class DigestCompaction {
    static final List<String> TABLES = List.of("rollup_tool_digest_1h", "rollup_tool_digest_1d");
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

    private record Key(OffsetDateTime bucket, String side) {
    }

    /** Merges up to {@link #KEYS_PER_ROUND} keys of one tenant in one transaction; returns how many. */
    private static int compactRound(Connection c, String table, String tenant) throws SQLException {
        c.setAutoCommit(false);
        try {
            Map<Key, Map<String, ToolTotals>> keys = new LinkedHashMap<>();
            ToolDigest.Reader reader = new ToolDigest.Reader();
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " d USING (SELECT DISTINCT bucket, side FROM "
                    + table + " WHERE tenant_id = ? AND NOT compacted LIMIT " + KEYS_PER_ROUND + ") f "
                    + "WHERE d.tenant_id = ? AND d.bucket = f.bucket AND d.side = f.side RETURNING d.bucket, d.side, d.digest")) {
                ps.setString(1, tenant);
                ps.setString(2, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, ToolTotals> tools = keys.computeIfAbsent(
                                new Key(rs.getObject(1, OffsetDateTime.class), rs.getString(2)), k -> new LinkedHashMap<>());
                        reader.reset(rs.getBytes(3));
                        while (reader.next()) {
                            String server = reader.server();
                            String tool = reader.tool();
                            tools.computeIfAbsent(ToolTotals.key(server, tool), k -> new ToolTotals(server, tool)).add(reader);
                        }
                    }
                }
            }
            if (!keys.isEmpty()) {
                ToolDigest.Writer writer = new ToolDigest.Writer();
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                        + " (tenant_id, bucket, side, digest, compacted) VALUES (?, ?, ?, ?, true)")) {
                    for (Map.Entry<Key, Map<String, ToolTotals>> e : keys.entrySet()) {
                        writer.reset();
                        e.getValue().values().forEach(writer::add);
                        insert.setString(1, tenant);
                        insert.setObject(2, e.getKey().bucket());
                        insert.setString(3, e.getKey().side());
                        insert.setBytes(4, writer.toByteArray());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            c.commit();
            return keys.size();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
