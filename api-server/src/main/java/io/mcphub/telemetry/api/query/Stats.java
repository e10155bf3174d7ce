package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.api.DigestCache;
import io.mcphub.telemetry.api.RawMinuteCache;
import io.mcphub.telemetry.api.TelemetryDatabase;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;
import io.mcphub.telemetry.model.DigestMerge;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.HistogramText;
import io.mcphub.telemetry.model.LatencyHistogram;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolDigest;
import io.mcphub.telemetry.model.ToolTotals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Statistics shared by several endpoints, each read where it costs least for the window: tenant totals
 * and series from the per-minute rollup (whole hours of long windows from the hourly one); per-tool
 * counts and latency from the raw rows of a window up to an hour (exact percentiles), from the hourly
 * tool digests up to two days and from the daily ones beyond (one row per bucket holding every tool;
 * percentiles from the merged log histograms, within 2 %; the buckets' digests merged once and held,
 * {@link DigestCache}); errors by class from the error rollups.
 * Every query names the tenant,
 * beside the row-level security that enforces it: it lets the planner use the (tenant_id, time)
 * indexes and Citus send the query to the tenant's shard.
 */
final class Stats {
    private Stats() {
    }

    /** p50/p95/p99 of the durations of a group, from one sort: the array {@code p} of {@link #QUANTILES_MS}. */
    static final String QUANTILES = "percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_us) AS p";
    static final String QUANTILES_MS = "round((p[1] / 1000)::numeric, 3) AS p50_ms, "
            + "round((p[2] / 1000)::numeric, 3) AS p95_ms, round((p[3] / 1000)::numeric, 3) AS p99_ms";

    /**
     * Rollup buckets overlapping the window, bound to {@link Window#firstBucket} and the window's end: a
     * bucket counts when it starts within the window or holds its start.
     */
    static final String BUCKET_RANGE = "bucket >= ? AND bucket < ?";

    /**
     * {@code branch} (a read of one range: its last two parameters the range's bounds) twice, under UNION ALL:
     * how the partial hours or days at a long window's two ends are read, never as one scan of "(range) OR
     * (range)". TimescaleDB excludes chunks at planning by a range, not by an OR of two: it planned the scan of
     * every chunk (oauth_flows at 30 days: planning 1.9 -> 0.6 ms). The two ranges never overlap (the window's
     * whole buckets lie between them), so no row is read twice.
     */
    static String twoRanges(String branch) {
        return branch + " UNION ALL " + branch;
    }

    /**
     * Downstream calls, errors, average and maximum of the window, to the minute: from the per-minute
     * rollup for a window up to two hours; beyond, the whole hours from the hourly one and only the
     * partial hours at the two ends from the per-minute one (30 days: ~840 rows instead of 43,200).
     */
    static Map<String, Object> totals(Connection c, String tenant, Window w) throws SQLException {
        String sums = "SELECT coalesce(sum(calls), 0)::bigint AS calls, coalesce(sum(errors), 0)::bigint AS errors, "
                + "round(coalesce(sum(errors)::numeric / nullif(sum(calls), 0), 0), 4) AS error_rate, "
                + "round(sum(total_duration_us)::numeric / nullif(sum(calls), 0) / 1000, 3) AS avg_ms, "
                + "round(max(max_duration_us)::numeric / 1000, 3) AS max_ms FROM ";
        Duration minute = Duration.ofMinutes(1);
        if (w.length().compareTo(Duration.ofHours(2)) <= 0) {
            return Rows.one(c, sums + "tenant_stats_1m WHERE tenant_id = ? AND side = 'downstream' AND " + BUCKET_RANGE,
                    tenant, w.firstBucket(minute), w.until());
        }
        String columns = "calls, errors, total_duration_us, max_duration_us";
        Instant firstWholeHour = w.afterFirstBucket(Duration.ofHours(1));
        Instant lastHour = w.lastBucket(Duration.ofHours(1));
        return Rows.one(c, sums + "(" + twoRanges("SELECT " + columns + " FROM tenant_stats_1m WHERE tenant_id = ? "
                + "AND side = 'downstream' AND " + BUCKET_RANGE)
                + " UNION ALL SELECT " + columns + " FROM tenant_latency_1h WHERE tenant_id = ? AND side = 'downstream' AND "
                + BUCKET_RANGE + ") r",
                tenant, w.firstBucket(minute), firstWholeHour, tenant, lastHour, w.until(), tenant, firstWholeHour, lastHour);
    }

    /** Downstream calls and errors of a raw window per server, counted where the rows are. */
    private static final String SERVER_CALLS = "SELECT server_name, count(*), count(*) FILTER (WHERE outcome <> '"
            + Outcome.SUCCESS.sqlName() + "') FROM tool_executions WHERE tenant_id = ? AND side = '"
            + ExecutionSide.DOWNSTREAM.sqlName() + "' AND started_at >= ? AND started_at < ? GROUP BY server_name";

    /**
     * Downstream calls and errors ({@code [calls, errors]}) per server over the window, as {@link #toolWindow}
     * adds them up: up to an hour counted in PostgreSQL (no raw row is sent: the percentiles and failures
     * {@link #toolWindow} reads them for are not wanted), beyond from the tool digests.
     */
    static Map<String, long[]> serverCalls(Connection c, TelemetryDatabase db, String tenant, Window w) throws SQLException {
        Map<String, long[]> out = new HashMap<>();
        if (w.grain() == Window.Grain.RAW) {
            try (PreparedStatement ps = c.prepareStatement(SERVER_CALLS)) {
                Rows.bind(ps, tenant, w.since(), w.until());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                    }
                }
            }
            return out;
        }
        for (ToolWindow t : toolWindow(c, db, tenant, w, ExecutionSide.DOWNSTREAM.sqlName(), null, false).values()) {
            long[] sum = out.computeIfAbsent((String) t.stats().get("server_name"), k -> new long[2]);
            sum[0] += ((Number) t.stats().get("calls")).longValue();
            sum[1] += ((Number) t.stats().get("errors")).longValue();
        }
        return out;
    }

    /**
     * One tool's figures over a window: {@code stats} its calls, errors, error rate, average and maximum (ms)
     * and last call, {@code latency}
     * its p50/p95/p99/max (ms): exact from the raw rows up to an hour, else from the merged histograms of
     * the digests (within 2 %); {@code failures} its failures by kind.
     */
    record ToolWindow(Map<String, Object> stats, Map<String, Object> latency, Collection<ToolTotals.Failure> failures) {
    }

    /**
     * Per tool of one side (optionally one server): its sums ({@link ToolWindow#stats}) and percentiles
     * together, keyed by {@link #key}. Beyond the raw grain in one scan of the
     * rollup rows (sums, maxima and histograms added up here) instead of one grouping scan for the sums
     * and a second one for the histograms; the numbers are rounded the way SQL's numeric rounds them (half
     * up), so either path answers the same.
     */
    static Map<String, ToolWindow> toolWindow(Connection c, TelemetryDatabase db, String tenant, Window w, String side, String server)
            throws SQLException {
        return toolWindow(c, db, tenant, w, side, server, true);
    }

    /**
     * {@link #toolWindow}, the percentiles only when {@code withLatency} (merging the histograms is most of
     * a long window's work; counts need none of it).
     */
    static Map<String, ToolWindow> toolWindow(Connection c, TelemetryDatabase db, String tenant, Window w, String side, String server,
                                              boolean withLatency) throws SQLException {
        return toolWindow(c, db, tenant, w, side, server, withLatency, null);
    }

    /**
     * {@link #toolWindow}; a window of the raw grain also adds every call's duration to {@code steps}
     * when given (the dashboard's latency series, from the same scan).
     */
    static Map<String, ToolWindow> toolWindow(Connection c, TelemetryDatabase db, String tenant, Window w, String side, String server,
                                              boolean withLatency, LatencySteps steps) throws SQLException {
        Map<String, ToolWindow> out = new LinkedHashMap<>();
        if (w.grain() == Window.Grain.RAW) {
            return rawWindow(c, db.rawMinutes(), tenant, w, side, server, withLatency, steps);
        }
        DigestCache cache = db.digests();
        DigestSum sum = new DigestSum(server, withLatency);
        DigestRead read = digestRead(tenant, w, side);
        if (!cache.enabled()) {
            read.run(c, NONE, (id, digest) -> sum.add(digest));
        } else {
            digestsThroughCache(c, cache, read, sum);
        }
        sum.tools.forEach((k, t) -> out.put(k, toolWindow(t, withLatency)));
        return out;
    }

    private static final String[] NONE = new String[0];
    /** Rows written since a held merge that are read on every request before the merge takes them in. */
    private static final int FOLD_AT = 8;

    /**
     * Adds the window's digests to {@code sum} through the merge held for the window's buckets
     * ({@link DigestCache}): when every row it merged is still there, that merge and the rows written since;
     * otherwise (none held, or compaction has replaced a row it merged) every row, merged and held anew.
     */
    private static void digestsThroughCache(Connection c, DigestCache cache, DigestRead read, DigestSum sum)
            throws SQLException {
        DigestCache.Entry held = cache.get(read.key());
        List<String> ids = new ArrayList<>();
        List<byte[]> fresh = new ArrayList<>();
        int[] heldSeen = {0};
        DigestRowHandler collect = (id, digest) -> {
            ids.add(id);
            if (digest == null) {
                heldSeen[0]++;
            } else {
                fresh.add(digest);
            }
        };
        read.run(c, held == null ? NONE : held.rows().toArray(NONE), collect);
        if (held != null && heldSeen[0] != held.rows().size()) {
            held = null;
            ids.clear();
            fresh.clear();
            read.run(c, NONE, collect);
        }
        cache.count(held != null);
        if (held != null && fresh.size() < FOLD_AT) {
            sum.add(held.merged());
            fresh.forEach(sum::add);
            return;
        }
        // a merge is at least as long as its longest digest: one the cache would not hold is not built
        if (ids.isEmpty() || fresh.stream().anyMatch(d -> !cache.admits(d.length))) {
            if (held != null) {
                sum.add(held.merged());
            }
            fresh.forEach(sum::add);
            return;
        }
        DigestMerge<Boolean> merge = new DigestMerge<>();
        if (held != null) {
            merge.add(Boolean.TRUE, held.merged());
        }
        fresh.forEach(d -> merge.add(Boolean.TRUE, d));
        byte[] merged = merge.drain().get(Boolean.TRUE);
        cache.put(read.key(), new DigestCache.Entry(Set.copyOf(ids), merged));
        sum.add(merged);
    }

    /** What a digest read hands on per row: its identity, and its digest unless the reader holds it (then null). */
    @FunctionalInterface
    private interface DigestRowHandler {
        void row(String id, byte[] digest);
    }

    /**
     * The digests of a window's buckets: {@code key} names the set of buckets (tenant, side, tables and the
     * bucket bounds, not the window's exact ends: windows over the same buckets read the same rows), {@code
     * sql} reads each row's identity (its grain's letter and the view's {@code row_version}) and its digest
     * unless the identity is among those bound first ({@code held}), newest bucket first.
     */
    private record DigestRead(String key, String sql, List<Object> params) {
        void run(Connection c, String[] held, DigestRowHandler rows) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                java.sql.Array ids = c.createArrayOf("text", held);
                Rows.bind(ps, params.stream().map(p -> p == HELD ? ids : p).toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.row(rs.getString(1), rs.getBytes(2));
                    }
                }
            }
        }
    }

    /** Where {@link DigestRead#sql} takes the held identities. */
    private static final Object HELD = new Object();

    /** One grain's digest rows of a bucket range: identity, and digest unless held. */
    private static String digestBranch(String grain, String view, String extra) {
        String id = "'" + grain + "' || row_version";
        return "SELECT bucket, " + id + " AS id, CASE WHEN " + id + " = ANY(?) THEN NULL ELSE digest END AS digest FROM " + view
                + " WHERE tenant_id = ? AND side = ? AND " + BUCKET_RANGE + extra;
    }

    /**
     * The tool digests (V010, V012: every tool of a tenant, side and bucket in one row) of the window's
     * buckets: hours up to two days; beyond, the days, but for the whole weeks (Monday to Sunday) among
     * them a week's row and only those of its days' rows that its compaction has not reached yet (30
     * days: ~4 weeks and ~3-9 days instead of 31 days; the same sums, as a week holds its days'
     * compacted rows). Newest bucket first: a failure kind's latest message is then decoded about once.
     */
    private static DigestRead digestRead(String tenant, Window w, String side) {
        Duration width = w.grain().width;
        Instant firstDay = w.firstBucket(width);
        // the last bucket the range holds: the window's end is not a bucket's, and windows ending within one
        // bucket read the same rows
        Instant lastDay = Window.floor(w.until().minusNanos(1), width);
        String key = tenant + '\u0000' + side + '\u0000' + w.grain() + '\u0000' + firstDay + '\u0000' + lastDay;
        String order = " ORDER BY bucket DESC";
        if (w.grain() == Window.Grain.HOUR) {
            return new DigestRead(key, "SELECT id, digest FROM (" + digestBranch("h", "tool_digests_1h", "") + ") d" + order,
                    List.of(HELD, tenant, side, firstDay, w.until()));
        }
        // whole weeks: from the first Monday on the first day or after it, to the Monday after the last day
        Instant firstWeek = Times.weekStart(firstDay.plus(Duration.ofDays(6)));
        Instant weeksUntil = Times.weekStart(lastDay.plus(width));
        if (!weeksUntil.isAfter(firstWeek)) {
            return new DigestRead(key, "SELECT id, digest FROM (" + digestBranch("d", "tool_digests_1d", "") + ") d" + order,
                    List.of(HELD, tenant, side, firstDay, w.until()));
        }
        return new DigestRead(key, "SELECT id, digest FROM (" + digestBranch("w", "tool_digests_1w", "")
                + " UNION ALL " + digestBranch("d", "tool_digests_1d", " AND (bucket < ? OR bucket >= ? OR NOT compacted)")
                + ") d" + order,
                List.of(HELD, tenant, side, firstWeek, weeksUntil, HELD, tenant, side, firstDay, w.until(), firstWeek, weeksUntil));
    }

    /**
     * Digest entries added up per tool (optionally of one server). A tenant's digests list its tools in about
     * the same order: the tool at an entry's position in the last digest is most often this entry's, found
     * without building and hashing its key.
     */
    private static final class DigestSum {
        final Map<String, ToolTotals> tools = new LinkedHashMap<>();
        private final String server;
        private final boolean withLatency;
        private final ToolDigest.Reader r = new ToolDigest.Reader();
        private final List<ToolTotals> atPosition = new ArrayList<>();

        DigestSum(String server, boolean withLatency) {
            this.server = server;
            this.withLatency = withLatency;
        }

        void add(byte[] digest) {
            r.reset(digest);
            for (int i = 0; r.next(); i++) {
                String s = r.server();
                if (server != null && !server.equals(s)) {
                    continue;
                }
                String t = r.tool();
                ToolTotals totals = i < atPosition.size() ? atPosition.get(i) : null;
                if (totals == null || !totals.tool().equals(t) || !totals.server().equals(s)) {
                    totals = tools.computeIfAbsent(key(s, t), k -> new ToolTotals(s, t));
                    while (atPosition.size() <= i) {
                        atPosition.add(null);
                    }
                    atPosition.set(i, totals);
                }
                totals.add(r, withLatency);
            }
        }
    }

    /** A raw row's columns, as {@link RawSum#row} reads them; the failure's kind and outcome only on failures. */
    private static final String RAW_COLUMNS = "SELECT id, server_name, tool_name, duration_us, "
            + "(extract(epoch FROM started_at) * 1000000)::bigint, CASE WHEN outcome <> '" + Outcome.SUCCESS.sqlName()
            + "' THEN outcome END, CASE WHEN outcome <> '" + Outcome.SUCCESS.sqlName() + "' THEN coalesce(error_class, outcome) END, "
            + "error_message FROM tool_executions WHERE tenant_id = ? AND side = ? ";
    private static final String RAW_RANGE = RAW_COLUMNS + "AND started_at >= ? AND started_at < ?";
    private static final long MINUTE_MICROS = 60_000_000L;

    /**
     * A window up to an hour from its raw rows, added up here: sums, failures and the exact percentiles (as
     * {@code percentile_cont} interpolates them) of every tool. Grouping and sorting per tool in PostgreSQL
     * (one scan for the sums, one per percentile query; or one grouping that sends each tool's durations)
     * cost as much or more. Its whole minutes come from those held ({@link RawMinuteCache}) when one count and
     * maximum id over them show them unchanged; the partial minutes at its ends and the minutes not held are
     * read, and the whole ones among them held.
     */
    private static Map<String, ToolWindow> rawWindow(Connection c, RawMinuteCache cache, String tenant, Window w, String side,
                                                     String server, boolean withLatency, LatencySteps steps) throws SQLException {
        RawSum sum = new RawSum(withLatency, steps);
        long since = Times.micros(w.since(), "since");
        long until = Times.micros(w.until(), "until");
        // the window's whole minutes: [first, last) in minutes since 1970
        long first = Math.floorDiv(since + MINUTE_MICROS - 1, MINUTE_MICROS);
        long last = Math.floorDiv(until, MINUTE_MICROS);
        if (!cache.enabled() || server != null || last <= first) {
            try (PreparedStatement ps = c.prepareStatement(RAW_RANGE + " AND (?::text IS NULL OR server_name = ?)")) {
                Rows.bind(ps, tenant, side, w.since(), w.until(), server, server);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sum.row(rs, null);
                    }
                }
            }
            return sum.windows();
        }
        // the longest run of held minutes [a, b): checked, not read; the rest read and held
        RawMinuteCache.Minute[] held = new RawMinuteCache.Minute[(int) (last - first)];
        long a = first;
        long b = first;
        for (long m = first, runStart = first; m < last; m++) {
            held[(int) (m - first)] = cache.get(RawMinuteCache.key(tenant, side, m));
            if (held[(int) (m - first)] == null) {
                runStart = m + 1;
            } else if (m + 1 - runStart > b - a) {
                a = runStart;
                b = m + 1;
            }
        }
        long heldCount = 0;
        long heldMaxId = 0;
        for (long m = a; m < b; m++) {
            heldCount += held[(int) (m - first)].count();
            heldMaxId = Math.max(heldMaxId, held[(int) (m - first)].maxId());
        }
        Map<Long, MinuteRows> built = new HashMap<>();
        for (long m = first; m < last; m++) {
            if (m < a || m >= b) {
                built.put(m, new MinuteRows());
            }
        }
        long foundCount = -1;
        long foundMaxId = -1;
        // the check's one row, in RAW_COLUMNS' shape: the count first, the maximum id where a duration goes, no server
        String check = "SELECT count(*), NULL::text, NULL::text, coalesce(max(id), 0), NULL::bigint, NULL::text, NULL::text, NULL::text "
                + "FROM tool_executions WHERE tenant_id = ? AND side = ? AND started_at >= ? AND started_at < ?";
        String read = b > a ? twoRanges(RAW_RANGE) + " UNION ALL " + check : RAW_RANGE;
        try (PreparedStatement ps = c.prepareStatement(read)) {
            if (b > a) {
                Rows.bind(ps, tenant, side, w.since(), minute(a), tenant, side, minute(b), w.until(), tenant, side, minute(a), minute(b));
            } else {
                Rows.bind(ps, tenant, side, w.since(), w.until());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) == null) {
                        foundCount = rs.getLong(1);
                        foundMaxId = rs.getLong(4);
                        continue;
                    }
                    sum.row(rs, built);
                }
            }
        }
        boolean unchanged = b > a && foundCount == heldCount && foundMaxId == heldMaxId;
        cache.count(unchanged);
        if (b > a && !unchanged) {
            // rows written since into the held span: read it as well, and hold it anew
            for (long m = a; m < b; m++) {
                built.put(m, new MinuteRows());
            }
            try (PreparedStatement ps = c.prepareStatement(RAW_RANGE)) {
                Rows.bind(ps, tenant, side, minute(a), minute(b));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sum.row(rs, built);
                    }
                }
            }
        } else {
            for (long m = a; m < b; m++) {
                sum.minute(held[(int) (m - first)]);
            }
        }
        built.forEach((m, rows) -> cache.put(RawMinuteCache.key(tenant, side, m), rows.minute()));
        return sum.windows();
    }

    private static Instant minute(long minutes) {
        return Instant.ofEpochSecond(minutes * 60);
    }

    /** A window's raw rows added up per tool: sums, failures, durations (for the percentiles) and steps. */
    private static final class RawSum {
        private final Map<String, ToolTotals> tools = new LinkedHashMap<>();
        private final Map<ToolTotals, Durations> durations = new HashMap<>();
        private final boolean withLatency;
        private final LatencySteps steps;

        RawSum(boolean withLatency, LatencySteps steps) {
            this.withLatency = withLatency;
            this.steps = steps;
        }

        private ToolTotals tool(String key, String server, String tool) {
            return tools.computeIfAbsent(key, k -> new ToolTotals(server, tool));
        }

        private void add(ToolTotals totals, long d, long started, String outcome, String failureClass, String message) {
            boolean failed = outcome != null;
            totals.add(1, failed ? 1 : 0, d, d, d, started);
            if (failed) {
                totals.failure(failureClass, outcome, 1, started, () -> message);
            }
            if (withLatency) {
                durations.computeIfAbsent(totals, x -> new Durations()).add(d);
            }
            if (steps != null) {
                steps.add(started, d);
            }
        }

        /**
         * Adds the current row of {@code rs} ({@link #RAW_COLUMNS}); one of a whole minute in {@code built}
         * is also kept there.
         */
        void row(ResultSet rs, Map<Long, MinuteRows> built) throws SQLException {
            String s = rs.getString(2);
            String t = rs.getString(3);
            long d = rs.getLong(4);
            long started = rs.getLong(5);
            String outcome = rs.getString(6);
            String failureClass = outcome == null ? null : rs.getString(7);
            String message = outcome == null ? null : rs.getString(8);
            String k = key(s, t);
            add(tool(k, s, t), d, started, outcome, failureClass, message);
            MinuteRows m = built == null ? null : built.get(Math.floorDiv(started, MINUTE_MICROS));
            if (m != null) {
                m.add(rs.getLong(1), k, s, t, d, started, outcome, failureClass, message);
            }
        }

        /** Adds a held minute's rows: each of its tools looked up once. */
        void minute(RawMinuteCache.Minute m) {
            ToolTotals[] byIndex = new ToolTotals[m.tools().length];
            for (int i = 0; i < byIndex.length; i++) {
                byIndex[i] = tool(key(m.servers()[i], m.tools()[i]), m.servers()[i], m.tools()[i]);
            }
            int[] failedRows = m.failedRows();
            for (int row = 0, f = 0, n = m.tool().length; row < n; row++) {
                if (f < failedRows.length && failedRows[f] == row) {
                    add(byIndex[m.tool()[row]], m.durationUs()[row], m.startedMicros()[row], m.outcome()[f], m.failureClass()[f],
                            m.message()[f]);
                    f++;
                } else {
                    add(byIndex[m.tool()[row]], m.durationUs()[row], m.startedMicros()[row], null, null, null);
                }
            }
        }

        Map<String, ToolWindow> windows() {
            Map<String, ToolWindow> out = new LinkedHashMap<>();
            tools.forEach((k, t) -> {
                ToolWindow tw = toolWindow(t, false);
                Map<String, Object> latency = null;
                if (withLatency) {
                    Durations all = durations.get(t);
                    int n = all.n;
                    long[] sorted = all.sorted();
                    latency = Json.object("server_name", t.server(), "tool_name", t.tool(), "sampled", (long) n,
                            "p50_ms", exactMs(sorted, n, 0.5), "p95_ms", exactMs(sorted, n, 0.95),
                            "p99_ms", exactMs(sorted, n, 0.99), "max_ms", maxMs(t.maxDurationUs()));
                }
                out.put(k, new ToolWindow(tw.stats(), latency, tw.failures()));
            });
            return out;
        }
    }

    /** The rows of one whole minute as they are read, made a {@link RawMinuteCache.Minute} to hold. */
    private static final class MinuteRows {
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> servers = new ArrayList<>();
        private final List<String> tools = new ArrayList<>();
        private int[] tool = new int[16];
        private long[] duration = new long[16];
        private long[] started = new long[16];
        private int n;
        private long maxId;
        private final List<Integer> failedRows = new ArrayList<>();
        private final List<String> failureClass = new ArrayList<>();
        private final List<String> outcome = new ArrayList<>();
        private final List<String> message = new ArrayList<>();

        /** Adds a row of the tool keyed {@code k} ({@link Stats#key}) of server {@code s} and name {@code t}. */
        void add(long id, String k, String s, String t, long d, long at, String failedOutcome, String kind, String text) {
            if (n == tool.length) {
                tool = Arrays.copyOf(tool, n * 2);
                duration = Arrays.copyOf(duration, n * 2);
                started = Arrays.copyOf(started, n * 2);
            }
            Integer i = index.get(k);
            if (i == null) {
                i = servers.size();
                index.put(k, i);
                servers.add(s);
                tools.add(t);
            }
            if (failedOutcome != null) {
                failedRows.add(n);
                failureClass.add(kind);
                outcome.add(failedOutcome);
                message.add(text);
            }
            tool[n] = i;
            duration[n] = d;
            started[n] = at;
            n++;
            maxId = Math.max(maxId, id);
        }

        RawMinuteCache.Minute minute() {
            return new RawMinuteCache.Minute(n, maxId, servers.toArray(String[]::new), tools.toArray(String[]::new),
                    Arrays.copyOf(tool, n), Arrays.copyOf(duration, n), Arrays.copyOf(started, n),
                    failedRows.stream().mapToInt(Integer::intValue).toArray(), failureClass.toArray(String[]::new),
                    outcome.toArray(String[]::new), message.toArray(String[]::new));
        }
    }

    /**
     * The calls of a raw window by series step, for their exact percentiles per step: what
     * {@link #latencySeries} answers for that window, taken from the scan of {@link #toolWindow}
     * instead of a second scan that sorts per step.
     */
    static final class LatencySteps {
        private final long stepMicros;
        private final TreeMap<Long, Durations> steps = new TreeMap<>();

        LatencySteps(Window w) {
            stepMicros = w.seriesStep().toSeconds() * 1_000_000L;
        }

        void add(long startedMicros, long durationUs) {
            steps.computeIfAbsent(Math.floorDiv(startedMicros, stepMicros) * stepMicros, t -> new Durations()).add(durationUs);
        }

        /** The steps with calls, in order, shaped as {@link #latencySeries}' rows. */
        List<Map<String, Object>> series() {
            List<Map<String, Object>> out = new ArrayList<>(steps.size());
            steps.forEach((t, d) -> {
                int n = d.n;
                long[] sorted = d.sorted();
                out.add(Json.object("t", Times.ofMicros(t), "calls", (long) n, "p50_ms", exactMs(sorted, n, 0.5),
                        "p95_ms", exactMs(sorted, n, 0.95), "p99_ms", exactMs(sorted, n, 0.99)));
            });
            return out;
        }
    }

    /** One tool's durations in a raw window, for its exact percentiles. */
    private static final class Durations {
        private long[] values = new long[16];
        private int n;

        void add(long d) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = d;
        }

        /** The first {@link #n} values sorted, in place. */
        long[] sorted() {
            Arrays.sort(values, 0, n);
            return values;
        }
    }

    /**
     * The {@code q} quantile of {@code sorted[0..n)} as {@code percentile_cont} interpolates it (in double
     * precision), in ms as {@code round((p / 1000)::numeric, 3)} gives it.
     */
    static BigDecimal exactMs(long[] sorted, int n, double q) {
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        double first = sorted[lo];
        double p = lo == hi ? first : first + (sorted[hi] - first) * (pos - lo);
        return BigDecimal.valueOf(p / 1000).setScale(3, RoundingMode.HALF_UP);
    }

    /**
     * One tool's figures as the raw rows' SQL would give them, rounded the way it rounds (numeric, half up),
     * so every path answers the same.
     */
    private static ToolWindow toolWindow(ToolTotals t, boolean withLatency) {
        long calls = t.calls();
        long last = t.lastCalledAtMicros();
        Map<String, Object> stats = Json.object("server_name", t.server(), "tool_name", t.tool(), "calls", calls,
                "errors", t.errors(),
                "error_rate", calls == 0 ? 0.0 : rate(t.errors(), calls).doubleValue(),
                "avg_ms", calls == 0 ? null : avgMs(t.totalDurationUs(), calls).doubleValue(),
                "max_ms", maxMs(t.maxDurationUs()).doubleValue(),
                "last_called_at", Times.ofMicros(last));
        LatencyHistogram h = t.latency();
        Map<String, Object> latency = !withLatency ? null : Json.object("server_name", t.server(), "tool_name", t.tool(),
                "sampled", h.count(), "p50_ms", ms(h.quantile(0.5)), "p95_ms", ms(h.quantile(0.95)),
                "p99_ms", ms(h.quantile(0.99)), "max_ms", maxMs(t.maxDurationUs()));
        return new ToolWindow(stats, latency, t.failures());
    }

    /** A window's downstream totals ({@link #totals}) and call series ({@link #callSeries}), read together. */
    record Calls(Map<String, Object> totals, List<Map<String, Object>> series) {
    }

    /**
     * {@link #totals} and {@link #callSeries} of a window from one read of the rollup rows where the series'
     * rows hold the totals' (they cover every step, so every bucket of the window): up to two hours its
     * minutes; beyond 25 hours its whole hours, and only the partial hours at its ends read apart. Between,
     * the series' minutes and the totals' hours come from different rollups, read apart as before (on
     * TimescaleDB the minutes are a continuous aggregate, the hours the sink's).
     */
    static Calls calls(Connection c, String tenant, Window w) throws SQLException {
        boolean minutes = w.length().compareTo(Duration.ofHours(2)) <= 0;
        if (!minutes && !w.useHourlyRollup()) {
            return new Calls(totals(c, tenant, w), callSeries(c, tenant, w, null));
        }
        long[] sums = {0, 0, 0, Long.MIN_VALUE};
        long from;
        long to;
        if (minutes) {
            from = w.firstBucket(Duration.ofMinutes(1)).getEpochSecond();
            to = w.until().getEpochSecond() + (w.until().getNano() > 0 ? 1 : 0);
        } else {
            from = w.afterFirstBucket(Duration.ofHours(1)).getEpochSecond();
            to = w.lastBucket(Duration.ofHours(1)).getEpochSecond();
            try (PreparedStatement ps = c.prepareStatement("SELECT calls, errors, total_duration_us, max_duration_us FROM ("
                    + twoRanges("SELECT calls, errors, total_duration_us, max_duration_us FROM tenant_stats_1m "
                    + "WHERE tenant_id = ? AND side = 'downstream' AND " + BUCKET_RANGE) + ") r")) {
                Rows.bind(ps, tenant, w.firstBucket(Duration.ofMinutes(1)), w.afterFirstBucket(Duration.ofHours(1)),
                        tenant, w.lastBucket(Duration.ofHours(1)), w.until());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        addTo(sums, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
                    }
                }
            }
        }
        List<Map<String, Object>> series = callSeries(c, tenant, w, (bucket, row) -> {
            if (bucket >= from && bucket < to) {
                addTo(sums, row[0], row[1], row[2], row[3]);
            }
        });
        return new Calls(totalsJson(sums), series);
    }

    /** What a window's totals add up: calls, errors, total duration, maximum duration ({@link Long#MIN_VALUE}: none). */
    private static void addTo(long[] sums, long calls, long errors, long total, long max) {
        sums[0] += calls;
        sums[1] += errors;
        sums[2] += total;
        sums[3] = Math.max(sums[3], max);
    }

    /** {@link #totals}' figures of some sums, rounded as its SQL rounds them (numeric, half up, the same scales). */
    private static Map<String, Object> totalsJson(long[] sums) {
        long calls = sums[0];
        return Json.object("calls", calls, "errors", sums[1],
                "error_rate", calls == 0 ? BigDecimal.ZERO.setScale(4) : rate(sums[1], calls),
                "avg_ms", calls == 0 ? null : avgMs(sums[2], calls),
                "max_ms", sums[3] == Long.MIN_VALUE ? null : BigDecimal.valueOf(sums[3], 3));
    }

    /** A rollup row a series read also hands on: its bucket (epoch seconds) and calls, errors, total and maximum duration. */
    @FunctionalInterface
    private interface BucketRows {
        void row(long bucket, long[] figures);
    }

    /**
     * Calls and errors per step from the per-minute rollup (the hourly one for steps of whole hours),
     * every step present (zeros where nothing ran): the steps from the window's start floored to the step
     * up to its end, each summing the rollup buckets that start in it. The buckets are read within the
     * steps' bounds and added up here: in SQL, numeric epoch arithmetic on every bucket and a second sort
     * and grouping by step cost more than the read. Each row read is also handed to {@code also} when given.
     */
    private static List<Map<String, Object>> callSeries(Connection c, String tenant, Window w, BucketRows also) throws SQLException {
        long step = w.seriesStep().toSeconds();
        long first = Math.floorDiv(w.since().getEpochSecond(), step) * step;
        // the steps that start at or before the window's end (a step starting exactly at it included)
        Instant until = w.until();
        int steps = (int) ((until.getEpochSecond() - first) / step) + 1;
        long[] calls = new long[steps];
        long[] errors = new long[steps];
        long[] total = new long[steps];
        // steps of whole hours start on the hour, so the hourly rollup sums to the same numbers;
        // date_part is double precision (extract is numeric), exact for whole seconds
        String rollup = w.useHourlyRollup() ? "tenant_latency_1h" : "tenant_stats_1m";
        try (PreparedStatement ps = c.prepareStatement("SELECT date_part('epoch', bucket)::bigint, calls, errors, total_duration_us, "
                + "max_duration_us FROM " + rollup + " WHERE tenant_id = ? AND side = 'downstream' AND " + BUCKET_RANGE)) {
            Rows.bind(ps, tenant, Instant.ofEpochSecond(first), Instant.ofEpochSecond(first + steps * step));
            long[] row = new long[4];
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long bucket = rs.getLong(1);
                    int i = (int) ((bucket - first) / step);
                    row[0] = rs.getLong(2);
                    row[1] = rs.getLong(3);
                    row[2] = rs.getLong(4);
                    row[3] = rs.getLong(5);
                    calls[i] += row[0];
                    errors[i] += row[1];
                    total[i] += row[2];
                    if (also != null) {
                        also.row(bucket, row);
                    }
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            out.add(Json.object("t", Instant.ofEpochSecond(first + i * step), "calls", calls[i], "errors", errors[i],
                    "error_rate", calls[i] == 0 ? 0.0 : rate(errors[i], calls[i]).doubleValue(),
                    "avg_ms", calls[i] == 0 ? null : avgMs(total[i], calls[i]).doubleValue()));
        }
        return out;
    }

    /**
     * Latency percentiles per step of a window over an hour, up to a day, from the tenant's hourly
     * histograms (a window up to an hour has them exact from the raw rows: {@link LatencySteps}; longer
     * ones have none).
     */
    static List<Map<String, Object>> latencySeries(Connection c, String tenant, Window w) throws SQLException {
        long step = w.seriesStep().toSeconds();
        Map<Instant, LatencyHistogram> perStep = new LinkedHashMap<>();
        long stepSeconds = Math.max(3_600, step);
        try (PreparedStatement ps = c.prepareStatement("SELECT to_timestamp(floor(extract(epoch FROM bucket) / ?) * ?), "
                + "latency_keys::text, latency_counts::text FROM tenant_latency_1h WHERE tenant_id = ? AND side = 'downstream' AND "
                + BUCKET_RANGE + " ORDER BY bucket")) {
            Rows.bind(ps, (double) stepSeconds, (double) stepSeconds, tenant, w.firstBucket(Duration.ofHours(1)), w.until());
            HistogramText reader = new HistogramText();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.addTo(perStep.computeIfAbsent(rs.getTimestamp(1).toInstant(), t -> new LatencyHistogram()),
                            rs.getString(2), rs.getString(3));
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(perStep.size());
        perStep.forEach((t, h) -> out.add(Json.object("t", t, "calls", h.count(), "p50_ms", ms(h.quantile(0.5)),
                "p95_ms", ms(h.quantile(0.95)), "p99_ms", ms(h.quantile(0.99)))));
        return out;
    }

    static String key(Object server, Object tool) {
        return ToolTotals.key(String.valueOf(server), String.valueOf(tool));
    }

    /** {@code part / whole} (whole above 0) as {@code round(part::numeric / whole, 4)} gives it (half up). */
    static BigDecimal rate(long part, long whole) {
        return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    /** The average in ms of {@code n} (above 0) durations of {@code totalUs} µs, as {@code round(total::numeric / n / 1000, 3)} gives it. */
    static BigDecimal avgMs(long totalUs, long n) {
        return BigDecimal.valueOf(totalUs).divide(BigDecimal.valueOf(n).multiply(BigDecimal.valueOf(1000)), 3, RoundingMode.HALF_UP);
    }

    /** Whole microseconds as milliseconds, the way {@code round(us::numeric / 1000, 3)} gives them. */
    private static BigDecimal maxMs(Long micros) {
        return micros == null ? null : BigDecimal.valueOf(micros, 3);
    }

    private static Double ms(double micros) {
        return Double.isNaN(micros) ? null : Math.round(micros) / 1000.0;
    }
}
