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
 * Fills the tool digests of V010 from the per-tool rollups stored before it, in V010's transaction (the
 * digest format is {@link ToolDigest}'s, which SQL cannot write). Reads each rollup once in key order
 * through a cursor, so memory holds one tenant, side and bucket at a time.
 */
final class ToolDigestBackfill {
    private static final int BATCH = 200;

    private ToolDigestBackfill() {
    }

    static void run(Connection c) throws SQLException {
        fill(c, "rollup_tool_1h", "rollup_tool_digest_1h");
        fill(c, "rollup_tool_1d", "rollup_tool_digest_1d");
    }

    private static void fill(Connection c, String from, String into) throws SQLException {
        HistogramText histograms = new HistogramText();
        ToolDigest.Writer writer = new ToolDigest.Writer();
        Map<String, ToolTotals> tools = new LinkedHashMap<>();
        String tenant = null;
        OffsetDateTime bucket = null;
        String side = null;
        int pending = 0;
        try (Statement st = c.createStatement();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + into
                     + " (tenant_id, bucket, side, digest, compacted) VALUES (?, ?, ?, ?, true)")) {
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
                        pending += add(insert, tenant, bucket, side, tools, writer);
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
            pending += add(insert, tenant, bucket, side, tools, writer);
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    /** Queues the digest of one key's tools (none before the first row); returns the rows queued. */
    private static int add(PreparedStatement insert, String tenant, OffsetDateTime bucket, String side,
                           Map<String, ToolTotals> tools, ToolDigest.Writer writer) throws SQLException {
        if (tools.isEmpty()) {
            return 0;
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
