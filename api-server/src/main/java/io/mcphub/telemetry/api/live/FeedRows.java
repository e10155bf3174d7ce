package io.mcphub.telemetry.api.live;

import io.mcphub.telemetry.api.Rows;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the rows of one tenant (named in every query, so Citus routes it to one shard) with ids in (after, upTo] of each table, oldest id first, merged by time. */
final class FeedRows {
    private FeedRows() {
    }

    static final String EVENTS = "SELECT id, occurred_at, event_type, server_name, instance_id, payload FROM events "
            + "WHERE tenant_id = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?";
    static final String LOGS = "SELECT id, occurred_at, level, logger, server_name, instance_id, message, context FROM logs "
            + "WHERE tenant_id = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?";
    static final String EXECUTIONS = "SELECT id, started_at, started_at + duration_us * interval '1 microsecond' AS finished_at, "
            + "server_name, tool_name, side, outcome, round(duration_us / 1000.0, 3) AS duration_ms, error_class, error_message, "
            + "instance_id FROM tool_executions WHERE tenant_id = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?";

    /** Rows of the three tables after {@code after}, up to {@code upTo}, at most {@code limit} per table. */
    static List<List<FeedItem>> read(Connection c, String tenant, StreamCursor after, StreamCursor upTo, int limit) throws SQLException {
        List<List<FeedItem>> out = new ArrayList<>(3);
        out.add(table(c, tenant, EVENTS, FeedItem.Kind.EVENT, "occurred_at", after.events(), upTo.events(), limit));
        out.add(table(c, tenant, LOGS, FeedItem.Kind.LOG, "occurred_at", after.logs(), upTo.logs(), limit));
        out.add(table(c, tenant, EXECUTIONS, FeedItem.Kind.EXECUTION, "finished_at", after.executions(), upTo.executions(), limit));
        return out;
    }

    private static List<FeedItem> table(Connection c, String tenant, String sql, FeedItem.Kind kind, String timeColumn, long after,
                                        long upTo, int limit) throws SQLException {
        List<FeedItem> items = new ArrayList<>();
        if (upTo <= after) {
            return items;
        }
        for (Map<String, Object> row : Rows.list(c, sql, tenant, after, upTo, limit)) {
            row.put("type", kind.sseName);
            items.add(new FeedItem(kind, ((Number) row.get("id")).longValue(), (Instant) row.get(timeColumn),
                    (String) row.get("server_name"), row));
        }
        return items;
    }

    /**
     * Merges the three id-ordered lists by time while keeping each list's id order, so the cursor of
     * every table only grows along the stream.
     */
    static List<FeedItem> merge(List<List<FeedItem>> lists) {
        List<FeedItem> merged = new ArrayList<>();
        int[] at = new int[lists.size()];
        while (true) {
            int pick = -1;
            for (int i = 0; i < lists.size(); i++) {
                if (at[i] < lists.get(i).size()) {
                    FeedItem candidate = lists.get(i).get(at[i]);
                    if (pick < 0 || candidate.at().isBefore(lists.get(pick).get(at[pick]).at())) {
                        pick = i;
                    }
                }
            }
            if (pick < 0) {
                return merged;
            }
            merged.add(lists.get(pick).get(at[pick]++));
        }
    }
}
