package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.model.SqlNamed;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.api.ApiException;
import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/telemetry/executions}: newest first, filtered by server, tool, outcome, side, trace id
 * and time, paged by keyset: {@code next_cursor} encodes the (started_at, id) of the last row, so a page
 * costs the same however deep it is and rows arriving meanwhile never shift a page.
 */
public final class ExecutionsQuery {
    /** Any failure: every outcome but success. */
    static final String ANY_ERROR = "error";

    public Object handle(ApiRequest req) {
        Params p = req.params("server", "tool", "outcome", "side", "since", "until", "limit", "cursor", "payloads",
                "traceId");
        String server = p.text("server");
        String tool = p.text("tool");
        String outcome = p.choice("outcome", outcomes());
        String side = SqlNamed.nameOf(p.named("side", ExecutionSide.class));
        Instant since = p.instant("since");
        Instant until = p.instant("until");
        int limit = p.integer("limit", 50, 1, 500);
        boolean payloads = "true".equals(p.choice("payloads", List.of("true", "false")));
        long[] cursor = decode(p.text("cursor"));
        String traceId = traceId(p.text("traceId"));
        if (since != null && until != null && !since.isBefore(until)) {
            throw ApiException.badParameter("since", "since must be before until");
        }
        StringBuilder sql = new StringBuilder("SELECT id, started_at, extract(epoch FROM date_trunc('second', started_at))::bigint * 1000000 + extract(microseconds FROM started_at)::bigint % 1000000 AS started_us, "
                + "server_name, tool_name, side, outcome, round(duration_us / 1000.0, 3) AS duration_ms, error_class, "
                + "error_message, argument_bytes, result_bytes, session_id, request_id, instance_id, trace_id, span_id, "
                + "parent_span_id"
                + (payloads ? ", arguments, result" : "") + " FROM tool_executions WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(req.tenant());
        filter(sql, args, "server_name = ?", server);
        filter(sql, args, "tool_name = ?", tool);
        filter(sql, args, "side = ?", side);
        filter(sql, args, "trace_id = ?", traceId);
        if (ANY_ERROR.equals(outcome)) {
            sql.append(" AND outcome <> 'success'");
        } else {
            filter(sql, args, "outcome = ?", outcome);
        }
        filter(sql, args, "started_at >= ?", since);
        filter(sql, args, "started_at < ?", until);
        if (cursor != null) {
            sql.append(" AND (started_at, id) < (?::timestamptz, ?)");
            args.add(Times.ofMicros(cursor[0]));
            args.add(cursor[1]);
        }
        // the newest rows the page may hold are at its cursor, else at the window's end, else now
        Instant top = cursor != null ? Times.ofMicros(cursor[0]) : until != null ? until : req.now();
        return req.read(c -> {
            List<Map<String, Object>> rows = NewestFirst.rows(c, sql.toString(), args, top, since, limit + 1);
            String next = null;
            if (rows.size() > limit) {
                rows = new ArrayList<>(rows.subList(0, limit));
                Map<String, Object> last = rows.get(limit - 1);
                next = encode(((Number) last.get("started_us")).longValue(), ((Number) last.get("id")).longValue());
            }
            rows.forEach(r -> r.remove("started_us"));
            return Json.object("items", rows, "count", rows.size(), "next_cursor", next);
        });
    }

    /** A W3C trace id: 32 hex digits, stored lowercase; a user may paste it in either case. */
    static String traceId(String value) {
        if (value == null) {
            return null;
        }
        String id = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (!id.matches("[0-9a-f]{32}")) {
            throw ApiException.badParameter("traceId", "a trace id is 32 hex digits");
        }
        return id;
    }

    private static List<String> outcomes() {
        List<String> names = new ArrayList<>(SqlNamed.names(Outcome.class));
        names.add(1, ANY_ERROR);
        return names;
    }

    private static void filter(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null) {
            sql.append(" AND ").append(clause);
            args.add(value);
        }
    }

    static String encode(long startedMicros, long id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((startedMicros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    static long[] decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException();
            }
            long micros = Long.parseLong(parts[0]);
            // a forged cursor outside timestamptz's range would make the query fail (a 503 instead of a 400)
            if (micros < -62_135_596_800_000_000L || micros > 253_402_300_799_000_000L) {
                throw new IllegalArgumentException();
            }
            return new long[] {micros, Long.parseLong(parts[1])};
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("cursor", "not a cursor returned as next_cursor by this endpoint");
        }
    }
}
