package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcphub.telemetry.model.ApiRequestRecord;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.LatencyHistogram;
import io.mcphub.telemetry.model.OAuthFlowRecord;
import io.mcphub.telemetry.model.OAuthOutcome;
import io.mcphub.telemetry.model.OAuthPhase;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.TenantRecord;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.sink.DigestCompaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Windows beyond two days read a weekly digest for each whole week inside them (V012) and daily ones
 * at their ends, and the API request totals a daily row for each whole day (V013) and hourly ones at
 * its ends, and the OAuth summary a daily row for each whole day (V014) and the raw steps at its ends:
 * against the raw rows, before and after the newest increments reach their week or day, and proof that
 * the weeks and days are what is read.
 */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class LongWindowRollupsTest {
    private static final String TENANT = "initech";

    @Parameter
    StorageLayout layout;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    /** The Monday of the week before last, 00:00 UTC: its week is whole in every window below. */
    private final Instant monday = now.atOffset(ZoneOffset.UTC).toLocalDate().with(DayOfWeek.MONDAY).minusWeeks(2)
            .atStartOfDay(ZoneOffset.UTC).toInstant();

    private static ToolExecutionRecord call(String server, String tool, Instant at, long durationUs, Outcome outcome,
                                            String errorClass) {
        return new ToolExecutionRecord(TENANT, "hub-1", server, tool, Times.micros(at, "startedAt"), durationUs, outcome,
                errorClass, outcome == Outcome.SUCCESS ? null : "failed at " + at, null, null, null, null, null, null,
                ExecutionSide.DOWNSTREAM);
    }

    /** Calls every 5 hours over 28 days, three tools, spread durations and failures of three kinds. */
    private List<TelemetryRecord> history() {
        List<TelemetryRecord> out = new ArrayList<>();
        out.add(new TenantRecord(TENANT, "Initech")); // compaction goes through the registered tenants
        String[][] tools = {{"github", "search"}, {"github", "create_issue"}, {"files", "read"}};
        int k = 0;
        for (Instant t = now.minus(Duration.ofDays(28)); t.isBefore(now); t = t.plus(Duration.ofHours(5)).plusSeconds(37)) {
            for (int i = 0; i < tools.length; i++, k++) {
                long duration = (k * 37L % 900 + 1) * 100 * (i + 1);
                Outcome outcome = k % 7 == i ? Outcome.TOOL_ERROR : k % 11 == 0 ? Outcome.EXCEPTION : Outcome.SUCCESS;
                out.add(call(tools[i][0], tools[i][1], t, duration, outcome, outcome == Outcome.EXCEPTION ? "java.io.IOException" : null));
            }
            out.add(request(t.plusSeconds(600), k));
        }
        // OAuth sign-ins every 7 hours: a start, a callback (some failing) and, once called back, a token; those
        // starting 20 s before midnight (UTC) have steps on two days, each flow counted once: among them those
        // across the midnights where the windows below turn from a partial day (raw rows) to a whole one (rollup)
        List<Instant> starts = new ArrayList<>();
        for (Instant t = now.minus(Duration.ofDays(28)); t.isBefore(now); t = t.plus(Duration.ofHours(7))) {
            starts.add(starts.size() % 4 == 0 ? t.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).minusSeconds(20) : t);
        }
        starts.add(now.truncatedTo(ChronoUnit.DAYS).minusSeconds(20));
        starts.add(monday.plus(Duration.ofDays(10)).minusSeconds(20));
        starts.add(monday.minus(Duration.ofDays(12)).minusSeconds(20));
        for (int n = 0; n < starts.size(); n++) {
            Instant start = starts.get(n);
            String flow = "flow-" + n;
            out.add(oauth(flow, start, OAuthPhase.START, OAuthOutcome.PENDING, null));
            boolean failed = n % 5 == 2;
            out.add(oauth(flow, start.plusSeconds(30), OAuthPhase.CALLBACK, failed ? OAuthOutcome.FAILURE : OAuthOutcome.SUCCESS,
                    30_000_000L + n * 1_000L));
            if (!failed) {
                out.add(oauth(flow, start.plusSeconds(31), OAuthPhase.TOKEN, OAuthOutcome.SUCCESS, 150_000L + n * 17L));
            }
        }
        return out;
    }

    private static OAuthFlowRecord oauth(String flow, Instant at, OAuthPhase phase, OAuthOutcome outcome, Long durationUs) {
        return new OAuthFlowRecord(TENANT, at, flow, "hub-1", "github", "authorization_code", phase, outcome, durationUs,
                outcome == OAuthOutcome.FAILURE ? "access_denied" : null);
    }

    private static ApiRequestRecord request(Instant at, int k) {
        return new ApiRequestRecord(TENANT, at, "hub-1", "GET", "/api/servers", k % 9 == 0 ? 503 : 200, (k * 53L % 700 + 1) * 150, 80L, 900L);
    }

    /** The windows compared: the last 30 days; whole weeks only; ends mid-week on both sides. */
    private List<Instant[]> windows() {
        return List.of(new Instant[] {now.minus(Duration.ofDays(30)), now},
                new Instant[] {monday.minus(Duration.ofDays(7)), monday.plus(Duration.ofDays(7))},
                new Instant[] {monday.minus(Duration.ofDays(13)).plusSeconds(13 * 3600 + 17 * 60),
                        monday.plus(Duration.ofDays(10)).plusSeconds(9 * 3600 + 5 * 60)});
    }

    @Test
    void longWindowsEqualTheRawRowsOfTheirDays() throws Exception {
        try (ApiFixture f = ApiFixture.start(ApiFixture.localSettings(TENANT), layout, UnaryOperator.identity(), Duration.ofHours(1))) {
            f.publish(history().toArray(TelemetryRecord[]::new));
            try (Connection c = f.db.connect()) {
                compact(c);
                assertTrue(count(c, "SELECT count(*) FROM rollup_tool_digest_1w WHERE compacted") >= 4, "four weeks or more");
                assertTrue(count(c, "SELECT count(*) FROM rollup_api_1d WHERE compacted") >= 28, "a day's API requests a row");
                assertEquals(0, count(c, "SELECT count(*) FROM rollup_api_1d WHERE NOT compacted"));
                assertEquals(0, count(c, "SELECT count(*) FROM rollup_tool_digest_1w WHERE NOT compacted"));
                assertEquals(0, count(c, "SELECT count(*) FROM rollup_tool_digest_1d WHERE NOT compacted"));
                assertTrue(count(c, "SELECT count(*) FROM rollup_oauth_1d WHERE compacted") >= 28, "a day's OAuth steps a row");
                assertEquals(0, count(c, "SELECT count(*) FROM rollup_oauth_1d WHERE NOT compacted"));
                assertEquals(0, count(c, "SELECT count(*) FROM rollup_oauth_1d WHERE cardinality(flow_ids) <> "
                        + "(SELECT count(DISTINCT x) FROM unnest(flow_ids) x)"), "a day's flow ids without repeats");
            }
            compareAll(f, "compacted");

            // newer increments of days inside a whole week: read from the days until their week has them
            Instant wednesday = monday.plus(Duration.ofDays(2)).plusSeconds(10 * 3600);
            f.publish(call("github", "search", wednesday, 1_234_567, Outcome.SUCCESS, null),
                    call("files", "read", wednesday.plusSeconds(60), 5, Outcome.TIMEOUT, null),
                    call("files", "write", wednesday.plusSeconds(120), 42_000, Outcome.SUCCESS, null),
                    request(wednesday, 9), request(wednesday.plusSeconds(7), 1), request(wednesday.plusSeconds(3600), 2),
                    // a new flow, and a refresh of one already counted on another day
                    oauth("flow-late", wednesday, OAuthPhase.TOKEN, OAuthOutcome.SUCCESS, 99_000L),
                    oauth("flow-1", wednesday.plusSeconds(5), OAuthPhase.REFRESH, OAuthOutcome.FAILURE, 12_000L));
            try (Connection c = f.db.connect()) {
                assertTrue(count(c, "SELECT count(*) FROM rollup_tool_digest_1d WHERE NOT compacted") > 0);
                assertTrue(count(c, "SELECT count(*) FROM rollup_api_1h WHERE NOT compacted") > 0);
                assertTrue(count(c, "SELECT count(*) FROM rollup_oauth_1d WHERE NOT compacted") > 0);
            }
            compareAll(f, "with increments not compacted");
            try (Connection c = f.db.connect()) {
                compact(c);
                assertEquals(0, count(c, "SELECT count(*) FROM rollup_tool_digest_1w WHERE NOT compacted"));
                assertEquals(0, count(c, "SELECT count(*) FROM rollup_api_1d WHERE NOT compacted"));
                assertEquals(0, count(c, "SELECT count(*) FROM rollup_oauth_1d WHERE NOT compacted"));
            }
            compareAll(f, "compacted again");

            // the week's row is what a window holding the whole week reads: without its days it answers the same,
            // while a window of some of its days (no whole week) finds none
            Instant[] whole = windows().get(1);
            JsonNode wholeDashboard = f.json("/api/telemetry/dashboard?since=" + whole[0] + "&until=" + whole[1]);
            JsonNode api = wholeDashboard.get("api_requests");
            try (Connection c = f.db.connect(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM rollup_tool_digest_1d WHERE bucket >= '" + monday + "' AND bucket < '"
                        + monday.plus(Duration.ofDays(7)) + "'");
                st.execute("DELETE FROM rollup_api_1h WHERE bucket >= '" + monday + "' AND bucket < '"
                        + monday.plus(Duration.ofDays(7)) + "'");
                st.execute("DELETE FROM oauth_flows WHERE occurred_at >= '" + monday + "' AND occurred_at < '"
                        + monday.plus(Duration.ofDays(7)) + "'");
            }
            compare(f, whole[0], whole[1], "days of the week deleted");
            assertEquals(api, f.json("/api/telemetry/dashboard?since=" + whole[0] + "&until=" + whole[1]).get("api_requests"),
                    "the API requests of whole days from their days");
            assertEquals(wholeDashboard.get("oauth"), f.json("/api/telemetry/dashboard?since=" + whole[0] + "&until=" + whole[1])
                    .get("oauth"), "the OAuth steps of whole days from their days");
            JsonNode part = f.json("/api/telemetry/tools?since=" + monday.plus(Duration.ofDays(1)) + "&until="
                    + monday.plus(Duration.ofDays(5)));
            assertEquals(0, part.get("tools").size(), part.toString());
            // a window without a whole day reads the hours, gone in that week: only its first hour's raw rows are left
            Instant from = monday.plus(Duration.ofHours(25));
            JsonNode hours = f.json("/api/telemetry/dashboard?since=" + from + "&until=" + monday.plus(Duration.ofHours(46)))
                    .get("api_requests");
            try (Connection c = f.db.connect()) {
                assertEquals(count(c, "SELECT count(*) FROM api_requests WHERE tenant_id = '" + TENANT + "' AND occurred_at >= '"
                        + from + "' AND occurred_at < '" + from.plus(Duration.ofHours(1)) + "'"), hours.get("requests").asLong(),
                        hours.toString());
            }
        }
    }

    /** What the sink's maintenance does on its schedule (an hour apart in this test). */
    private static void compact(Connection c) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT mcp_telemetry_compact(30)");
        }
        DigestCompaction.run(c);
    }

    private void compareAll(ApiFixture f, String when) throws Exception {
        for (Instant[] w : windows()) {
            compare(f, w[0], w[1], when);
            JsonNode d = f.json("/api/telemetry/dashboard?since=" + w[0] + "&until=" + w[1]);
            compareApiRequests(d.get("api_requests"), f, w[0], w[1], when);
            compareOAuth(d.get("oauth"), f, w[0], w[1], when);
            compareTotals(d.get("executions"), f, w[0], w[1], when);
        }
        // the totals read with the series' rows: up to two hours (minutes) and beyond 25 (hours); and between
        Instant end;
        try (Connection c = f.db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(started_at) FROM tool_executions WHERE tenant_id = '" + TENANT + "'")) {
            rs.next();
            end = rs.getTimestamp(1).toInstant().plusSeconds(30); // the latest call in every window below
        }
        for (Duration length : List.of(Duration.ofMinutes(50), Duration.ofHours(2), Duration.ofHours(20), Duration.ofHours(30))) {
            Instant since = end.minus(length);
            compareTotals(f.json("/api/telemetry/dashboard?since=" + since + "&until=" + end).get("executions"), f, since, end, when);
            JsonNode errors = f.json("/api/telemetry/errors?since=" + since + "&until=" + end).get("totals");
            JsonNode dashboard = f.json("/api/telemetry/dashboard?since=" + since + "&until=" + end).get("executions");
            for (String k : List.of("calls", "errors", "error_rate")) {
                assertEquals(dashboard.get(k), errors.get(k), when + ", " + length + " " + k);
            }
        }
        JsonNode d = f.json("/api/telemetry/tools?window=30d");
        assertTrue(d.get("tools").size() >= 3, d.toString());
    }

    /**
     * /tools and /errors over [since, until) against the raw rows of the days they overlap (a long window
     * counts whole days, README "Time windows"): counts, maxima and last calls exactly, percentiles
     * within the histogram's relative error.
     */
    private void compare(ApiFixture f, Instant since, Instant until, String when) throws Exception {
        Instant firstDay = since.truncatedTo(ChronoUnit.DAYS);
        Instant afterLastDay = until.minusNanos(1).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        String range = "since=" + since + "&until=" + until;
        JsonNode tools = f.json("/api/telemetry/tools?" + range).get("tools");
        int compared = 0;
        try (Connection c = f.db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT server_name, tool_name, count(*), count(*) FILTER (WHERE outcome <> 'success'), max(duration_us) / 1000.0, "
                + "max(started_at), percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_us) "
                + "FROM tool_executions WHERE tenant_id = ? AND side = 'downstream' AND started_at >= ? AND started_at < ? "
                + "GROUP BY 1, 2")) {
            bindRange(ps, firstDay, afterLastDay);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String server = rs.getString(1);
                    String tool = rs.getString(2);
                    JsonNode t = last(tools, x -> x.get("server_name").asText().equals(server) && x.get("tool_name").asText().equals(tool));
                    String what = when + ", " + range + ": " + rs.getString(1) + "/" + rs.getString(2) + " " + t;
                    assertNotNull(t, what);
                    assertEquals(rs.getLong(3), t.get("calls").asLong(), what);
                    assertEquals(rs.getLong(4), t.get("errors").asLong(), what);
                    assertEquals(rs.getDouble(5), t.at("/latency_ms/max").asDouble(), 1e-9, what);
                    assertEquals(rs.getTimestamp(6).toInstant(), Instant.parse(t.get("last_called_at").asText()), what);
                    Long[] p = (Long[]) rs.getArray(7).getArray();
                    String[] names = {"p50", "p95", "p99"};
                    for (int i = 0; i < 3; i++) {
                        double exactMs = p[i] / 1000.0;
                        assertEquals(exactMs, t.at("/latency_ms/" + names[i]).asDouble(),
                                Math.max(exactMs * LatencyHistogram.RELATIVE_ERROR, 0.001), what + " " + names[i]);
                    }
                    compared++;
                }
            }
            assertEquals(compared, tools.size(), when + ", " + range + ": no tool without calls: " + tools);
            // one server's tools: the same figures
            List<JsonNode> github = new ArrayList<>();
            tools.forEach(t -> {
                if (t.get("server_name").asText().equals("github")) {
                    github.add(t);
                }
            });
            List<JsonNode> filtered = new ArrayList<>();
            f.json("/api/telemetry/tools?" + range + "&server=github").get("tools").forEach(filtered::add);
            assertEquals(github, filtered, when + ", " + range);
            assertTrue(compared >= 3, when + ", " + range + ": tools compared: " + compared);

            JsonNode errors = f.json("/api/telemetry/errors?" + range).get("by_error_class");
            try (PreparedStatement byClass = c.prepareStatement("SELECT coalesce(error_class, outcome), count(*), "
                    + "count(DISTINCT server_name || '/' || tool_name), max(started_at) FROM tool_executions "
                    + "WHERE tenant_id = ? AND side = 'downstream' AND outcome <> 'success' AND started_at >= ? AND started_at < ? "
                    + "GROUP BY 1")) {
                bindRange(byClass, firstDay, afterLastDay);
                int classes = 0;
                try (ResultSet rs = byClass.executeQuery()) {
                    while (rs.next()) {
                        String errorClass = rs.getString(1);
                        JsonNode k = last(errors, x -> x.get("error_class").asText().equals(errorClass));
                        String what = when + ", " + range + ": " + rs.getString(1) + " " + errors;
                        assertNotNull(k, what);
                        assertEquals(rs.getLong(2), k.get("errors").asLong(), what);
                        assertEquals(rs.getLong(3), k.get("tools").asLong(), what);
                        assertEquals(rs.getTimestamp(4).toInstant(), Instant.parse(k.get("last_seen_at").asText()), what);
                        classes++;
                    }
                }
                assertEquals(classes, errors.size(), when + ", " + range + ": " + errors);
                assertTrue(classes >= 2, when + ", " + range + ": " + errors);
            }
        }
    }

    /**
     * The dashboard's totals against the raw rows of its minutes (the rollups count whole minutes: from the one
     * holding its start to the one holding its end), rounded as the API rounds them.
     */
    private void compareTotals(JsonNode totals, ApiFixture f, Instant since, Instant until, String when) throws Exception {
        Instant from = since.truncatedTo(ChronoUnit.MINUTES);
        Instant to = until.truncatedTo(ChronoUnit.MINUTES).equals(until) ? until : until.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
        try (Connection c = f.db.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*), "
                + "count(*) FILTER (WHERE outcome <> 'success'), round(coalesce(count(*) FILTER (WHERE outcome <> 'success')::numeric "
                + "/ nullif(count(*), 0), 0), 4), round(sum(duration_us)::numeric / nullif(count(*), 0) / 1000, 3), "
                + "round(max(duration_us)::numeric / 1000, 3) FROM tool_executions "
                + "WHERE tenant_id = ? AND side = 'downstream' AND started_at >= ? AND started_at < ?")) {
            bindRange(ps, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String what = when + ", totals of " + since + " - " + until + ": " + totals;
                assertTrue(rs.getLong(1) > 0, what);
                assertEquals(rs.getLong(1), totals.get("calls").asLong(), what);
                assertEquals(rs.getLong(2), totals.get("errors").asLong(), what);
                for (int i = 3; i <= 5; i++) {
                    JsonNode got = totals.get(new String[] {"error_rate", "avg_ms", "max_ms"}[i - 3]);
                    assertEquals(0, rs.getBigDecimal(i).compareTo(got.decimalValue()), what + " column " + i);
                }
            }
        }
    }

    /**
     * The dashboard's API request totals ({@code api}) over [since, until) against the raw rows of exactly that range
     * (they count to the minute): requests and server error rate exactly, p95 within the histogram's error.
     */
    private void compareApiRequests(JsonNode api, ApiFixture f, Instant since, Instant until, String when) throws Exception {
        try (Connection c = f.db.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*), "
                + "count(*) FILTER (WHERE status >= 500), percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_us) "
                + "FROM api_requests WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?")) {
            bindRange(ps, since, until);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String what = when + ", " + since + " - " + until + ": " + api;
                assertTrue(rs.getLong(1) > 10, what);
                assertEquals(rs.getLong(1), api.get("requests").asLong(), what);
                assertEquals((double) rs.getLong(2) / rs.getLong(1), api.get("server_error_rate").asDouble(), 1e-4, what);
                double p95 = rs.getLong(3) / 1000.0;
                assertEquals(p95, api.get("p95_ms").asDouble(), p95 * LatencyHistogram.RELATIVE_ERROR, what);
            }
        }
    }

    /**
     * The dashboard's OAuth summary ({@code oauth}) over [since, until) against the raw steps of exactly that range:
     * flows (distinct ids), steps by outcome, success rate and average duration, as PostgreSQL rounds them.
     */
    private void compareOAuth(JsonNode oauth, ApiFixture f, Instant since, Instant until, String when) throws Exception {
        try (Connection c = f.db.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(DISTINCT flow_id), "
                + "count(*) FILTER (WHERE outcome = 'success'), count(*) FILTER (WHERE outcome = 'failure'), "
                + "count(*) FILTER (WHERE outcome = 'pending'), round(count(*) FILTER (WHERE outcome = 'success')::numeric "
                + "/ nullif(count(*) FILTER (WHERE outcome <> 'pending'), 0), 4), round(avg(duration_us) / 1000.0, 3) "
                + "FROM oauth_flows WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?")) {
            bindRange(ps, since, until);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String what = when + ", " + since + " - " + until + ": " + oauth;
                assertTrue(rs.getLong(1) > 10 && rs.getLong(3) > 0 && rs.getLong(4) > 0, what);
                assertEquals(rs.getLong(1), oauth.get("flows").asLong(), what);
                assertEquals(rs.getLong(2), oauth.get("success").asLong(), what);
                assertEquals(rs.getLong(3), oauth.get("failure").asLong(), what);
                assertEquals(rs.getLong(4), oauth.get("pending").asLong(), what);
                assertEquals(rs.getBigDecimal(5).doubleValue(), oauth.get("success_rate").asDouble(), what);
                assertEquals(rs.getBigDecimal(6).doubleValue(), oauth.get("avg_ms").asDouble(), what);
            }
        }
    }

    /** Binds the tenant and [from, until) as a query's first three parameters. */
    private static void bindRange(PreparedStatement ps, Instant from, Instant until) throws Exception {
        ps.setString(1, TENANT);
        ps.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        ps.setObject(3, OffsetDateTime.ofInstant(until, ZoneOffset.UTC));
    }

    /** The last element of a JSON array that {@code matches}, or null. */
    private static JsonNode last(JsonNode array, java.util.function.Predicate<JsonNode> matches) {
        JsonNode found = null;
        for (JsonNode x : array) {
            if (matches.test(x)) {
                found = x;
            }
        }
        return found;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
