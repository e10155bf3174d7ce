package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.model.HistogramText;
import io.mcphub.telemetry.model.ToolDigest;
import io.mcphub.telemetry.model.ToolTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Fills the tool digests of V010 from the per-tool rollups stored before it, and their failures from the
 * error statistics ({@code error_stats_1h} / {@code _1d}: the error rollups, or TimescaleDB's continuous
 * aggregates), in V010's transaction (the digest format is {@link ToolDigest}'s, which SQL cannot write).
 * Reads each rollup once in key order through a cursor, so memory holds one tenant, side and bucket at
 * a time, and each key's failures by the (tenant, bucket) index.
 */
final class ToolDigestBackfill {
    private static final int BATCH = 200;

    private ToolDigestBackfill() {
    }

    static void run(Connection c) throws SQLException {
        fill(c, "rollup_tool_1h", "error_stats_1h", "rollup_tool_digest_1h");
        fill(c, "rollup_tool_1d", "error_stats_1d", "rollup_tool_digest_1d");
    }

    private static void fill(Connection c, String from, String errors, String into) throws SQLException {
        boolean withErrors;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('" + errors + "') IS NOT NULL")) {
            rs.next();
            withErrors = rs.getBoolean(1); // a new database has no statistics yet, nor their views
        }
        HistogramText histograms = new HistogramText();
        ToolDigest.Writer writer = new ToolDigest.Writer();
        Map<String, ToolTotals> tools = new LinkedHashMap<>();
        String tenant = null;
        OffsetDateTime bucket = null;
        String side = null;
        int pending = 0;
        try (Statement st = c.createStatement();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + into
                     + " (tenant_id, bucket, side, digest, compacted) VALUES (?, ?, ?, ?, true)");
             PreparedStatement failures = withErrors ? c.prepareStatement("SELECT server_name, tool_name, error_class, "
                     + "outcome, errors, (extract(epoch FROM last_seen_at) * 1000000)::bigint, last_message FROM " + errors
                     + " WHERE tenant_id = ? AND bucket = ? AND side = ?") : null) {
            st.setFetchSize(5_000);
            try (ResultSet rs = st.executeQuery("SELECT tenant_id, bucket, side, server_name, tool_name, calls, errors, "
                    + "total_duration_us, min_duration_us, max_duration_us, "
                    + "(extract(epoch FROM last_called_at) * 1000000)::bigint, latency_keys::text, latency_counts::text "
                    + "FROM " + from + " ORDER BY tenant_id, bucket, side")) {
                while (rs.next()) {
                    String t = rs.getString(1);
                    OffsetDateTime b = rs.getObject(2, OffsetDateTime.class);
                    String s = rs.getString(3);
                    if (!t.equals(tenant) || !b.equals(bucket) || !s.equals(side)) {
                        pending += add(insert, failures, tenant, bucket, side, tools, writer);
                        if (pending >= BATCH) {
                            insert.executeBatch();
                            pending = 0;
                        }
                        tenant = t;
                        bucket = b;
                        side = s;
                    }
                    String server = rs.getString(4);
                    String tool = rs.getString(5);
                    ToolTotals totals = tools.computeIfAbsent(ToolTotals.key(server, tool), k -> new ToolTotals(server, tool));
                    totals.add(rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11));
                    histograms.addTo(totals.latency(), rs.getString(12), rs.getString(13));
                }
            }
            pending += add(insert, failures, tenant, bucket, side, tools, writer);
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    /** Queues the digest of one key's tools (none before the first row); returns the rows queued. */
    private static int add(PreparedStatement insert, PreparedStatement failures, String tenant, OffsetDateTime bucket,
                           String side, Map<String, ToolTotals> tools, ToolDigest.Writer writer) throws SQLException {
        if (tools.isEmpty()) {
            return 0;
        }
        if (failures != null) {
            failures.setString(1, tenant);
            failures.setObject(2, bucket);
            failures.setString(3, side);
            try (ResultSet rs = failures.executeQuery()) {
                while (rs.next()) {
                    ToolTotals t = tools.get(ToolTotals.key(rs.getString(1), rs.getString(2)));
                    if (t != null) { // failures are counted with their tool's calls, in the same batch
                        String message = rs.getString(7);
                        t.failure(rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6), () -> message);
                    }
                }
            }
        }
        writer.reset();
        tools.values().forEach(writer::add);
        tools.clear();
        insert.setString(1, Objects.requireNonNull(tenant));
        insert.setObject(2, bucket);
        insert.setString(3, side);
        insert.setBytes(4, writer.toByteArray());
        insert.addBatch();
        return 1;
    }
}
