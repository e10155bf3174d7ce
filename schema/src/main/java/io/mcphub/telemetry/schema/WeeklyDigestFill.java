package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.model.DigestMerge;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;

/**
 * Fills V012's weekly tool digests from the daily ones already compacted, in V012's transaction: each
 * week's row is the merge of its days' compacted rows, which is what compaction keeps it equal to from
 * then on (the days' increments reach the week when they are compacted). Reads the days once in key
 * order through a cursor, so memory holds one week's tools at a time.
 */
final class WeeklyDigestFill {
    private WeeklyDigestFill() {
    }

    static void run(Connection c) throws SQLException {
        DigestMerge<DigestRows.Key> merge = new DigestMerge<>();
        DigestRows.Key week = null;
        try (Statement st = c.createStatement(); DigestRows.Batch insert = new DigestRows.Batch(c, DigestRows.WEEKS, true)) {
            st.setFetchSize(100);
            try (ResultSet rs = st.executeQuery("SELECT tenant_id, side, bucket, digest FROM " + DigestRows.DAYS
                    + " WHERE compacted ORDER BY tenant_id, side, bucket")) {
                while (rs.next()) {
                    DigestRows.Key w = new DigestRows.Key(rs.getString(1), rs.getObject(3, OffsetDateTime.class), rs.getString(2)).week();
                    if (!w.equals(week)) {
                        insert.add(merge.drain());
                        week = w;
                    }
                    merge.add(w, rs.getBytes(4));
                }
            }
            insert.add(merge.drain());
            insert.finish();
        }
    }
}
