package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.api.Rows;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The newest raw rows of a query, looked for in widening time ranges back from an instant: the last
 * hour, day and week, then the rest. The ranges are disjoint and newest first, so the rows come in the
 * order one query over everything gives them; but as the newest rows are nearly always recent, the
 * search seldom reads days of rows — on TimescaleDB, ordering every row of a tenant across its
 * columnstore chunks (seconds at 10 M rows) instead of the last hour's.
 */
final class NewestFirst {
    private static final List<Duration> RANGES = List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7));

    private NewestFirst() {
    }

    /**
     * Up to {@code wanted} rows of {@code select} (a query on the raw rows with its filters, without an
     * order or a limit) by {@code started_at DESC, id DESC}, looked for back from {@code top}; {@code floor},
     * when not null, is a lower bound {@code select} has already (the search then ends there).
     */
    static List<Map<String, Object>> rows(Connection c, String select, List<Object> args, Instant top, Instant floor,
                                          int wanted) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>(wanted);
        Instant upper = null; // the first range also holds what is newer than top
        for (int i = 0; out.size() < wanted; i++) {
            Instant lower = i < RANGES.size() ? top.minus(RANGES.get(i)) : null;
            boolean last = lower == null || (floor != null && !lower.isAfter(floor));
            StringBuilder sql = new StringBuilder(select);
            List<Object> a = new ArrayList<>(args);
            if (!last) {
                sql.append(" AND started_at >= ?");
                a.add(lower);
            }
            if (upper != null) {
                sql.append(" AND started_at < ?");
                a.add(upper);
            }
            sql.append(" ORDER BY started_at DESC, id DESC LIMIT ?");
            a.add(wanted - out.size());
            out.addAll(Rows.list(c, sql.toString(), a.toArray()));
            if (last) {
                break;
            }
            upper = lower;
        }
        return out;
    }
}
