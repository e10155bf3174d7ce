package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.model.DigestMerge;
import io.mcphub.telemetry.model.HistogramText;
import io.mcphub.telemetry.model.ToolDigest;
import io.mcphub.telemetry.model.ToolTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Fills the tool digests of V010 from the per-tool rollups stored before it, and their failures from the
 * error statistics ({@code error_stats_1h} / {@code _1d}: the error rollups, or TimescaleDB's continuous
 * aggregates), in V010's transaction (the digest format is {@link ToolDigest}'s, which SQL cannot write).
 * Reads each rollup once in key order through a cursor, so memory holds one tenant, side and bucket at
 * a time, and each key's failures by the (tenant, bucket) index.
 */
final class ToolDigestBackfill {
    private ToolDigestBackfill() {
    }

    static void run(Connection c) throws SQLException {
        fill(c, "rollup_tool_1h", "error_stats_1h", DigestRows.HOURS);
        fill(c, "rollup_tool_1d", "error_stats_1d", DigestRows.DAYS);
    }

    private static void fill(Connection c, String from, String errors, String into) throws SQLException {
        boolean withErrors;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('" + errors + "') IS NOT NULL")) {
            rs.next();
            withErrors = rs.getBoolean(1); // a new database has no statistics yet, nor their views
        }
        HistogramText histograms = new HistogramText();
        DigestMerge<DigestRows.Key> merge = new DigestMerge<>();
        DigestRows.Key key = null;
        try (Statement st = c.createStatement();
             DigestRows.Batch insert = new DigestRows.Batch(c, into, true);
             PreparedStatement failures = withErrors ? c.prepareStatement("SELECT server_name, tool_name, error_class, "
                     + "outcome, errors, (extract(epoch FROM last_seen_at) * 1000000)::bigint, last_message FROM " + errors
                     + " WHERE tenant_id = ? AND bucket = ? AND side = ?") : null) {
            st.setFetchSize(5_000);
            try (ResultSet rs = st.executeQuery("SELECT tenant_id, bucket, side, server_name, tool_name, calls, errors, "
                    + "total_duration_us, min_duration_us, max_duration_us, "
                    + "(extract(epoch FROM last_called_at) * 1000000)::bigint, latency_keys::text, latency_counts::text "
                    + "FROM " + from + " ORDER BY tenant_id, bucket, side")) {
                while (rs.next()) {
                    DigestRows.Key k = new DigestRows.Key(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3));
                    if (!k.equals(key)) {
                        add(insert, failures, key, merge);
                        key = k;
                    }
                    String server = rs.getString(4);
                    String tool = rs.getString(5);
                    ToolTotals totals = merge.tools(key).computeIfAbsent(ToolTotals.key(server, tool), x -> new ToolTotals(server, tool));
                    totals.add(rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11));
                    histograms.addTo(totals.latency(), rs.getString(12), rs.getString(13));
                }
            }
            add(insert, failures, key, merge);
            insert.finish();
        }
    }

    /** Queues the digest of one key's tools with their failures (none before the first row). */
    private static void add(DigestRows.Batch insert, PreparedStatement failures, DigestRows.Key key,
                           DigestMerge<DigestRows.Key> merge) throws SQLException {
        if (merge.isEmpty()) {
            return;
        }
        if (failures != null) {
            Map<String, ToolTotals> tools = merge.tools(key);
            failures.setString(1, key.tenant());
            failures.setObject(2, key.bucket());
            failures.setString(3, key.side());
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
        insert.add(merge.drain());
    }
}
