package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.Times;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Every JSON endpoint against telemetry written by the real sink, with exactly known answers. */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class EndpointsTest {
    /** The layout of this run (the static start receives it too). */
    @Parameter
    StorageLayout layout;

    private static ApiFixture f;

    @BeforeParameterizedClassInvocation
    static void start(StorageLayout layout) throws Exception {
        f = ApiFixture.start(ApiFixture.localSettings(SampleFleet.ACME), layout);
        f.publishSampleFleet();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + "=" + value + " in " + array);
    }

    @Test
    void serversShowStatusTransportUptimeAndToolCount() throws Exception {
        // the window ends when the fleet was made, however long the machine took to get here
        JsonNode servers = f.json("/api/telemetry/servers?window=1h&until=" + SampleFleet.ago(java.time.Duration.ZERO)).get("servers");
        assertEquals(3, servers.size(), servers.toString());
        JsonNode github = find(servers, "server_name", "github");
        assertEquals("connected", github.get("status").asText());
        assertEquals("streamable-http", github.get("transport").asText());
        assertEquals(100.0, github.get("uptime_percent").asDouble(), 0.01);
        assertEquals(2, github.get("tool_count").asInt());
        assertEquals(105, github.get("calls").asLong());
        JsonNode files = find(servers, "server_name", "files");
        assertEquals("failed", files.get("status").asText());
        assertEquals(75.0, files.get("uptime_percent").asDouble(), 0.5);
        assertEquals(1, files.get("outages").asInt());
        assertEquals("process exited with 1", files.get("last_error").asText());
        assertFalse(files.get("last_connected_at").isNull());
        JsonNode failedOnly = f.json("/api/telemetry/servers?status=failed").get("servers");
        assertEquals(1, failedOnly.size());
    }

    @Test
    void serversCountTheCallsAndErrorsTheirToolsShow() throws Exception {
        // an hour is counted in SQL from the raw rows, a week from the digests: both as /tools adds them up
        for (String window : List.of("1h", "7d")) {
            String range = "window=" + window + "&until=" + SampleFleet.ago(java.time.Duration.ZERO);
            Map<String, long[]> byServer = new HashMap<>();
            for (JsonNode t : f.json("/api/telemetry/tools?" + range).get("tools")) {
                long[] sum = byServer.computeIfAbsent(t.get("server_name").asText(), k -> new long[2]);
                sum[0] += t.get("calls").asLong();
                sum[1] += t.get("errors").asLong();
            }
            long errors = 0;
            for (JsonNode s : f.json("/api/telemetry/servers?" + range).get("servers")) {
                long[] sum = byServer.getOrDefault(s.get("server_name").asText(), new long[2]);
                assertEquals(sum[0], s.get("calls").asLong(), window + " " + s);
                assertEquals(sum[1], s.get("errors").asLong(), window + " " + s);
                errors += sum[1];
            }
            assertTrue(errors > 0, "the fleet's failures are counted: " + window);
        }
    }

    @Test
    void toolsHaveExactPercentilesAndErrorRates() throws Exception {
        JsonNode tools = f.json("/api/telemetry/tools?window=1h").get("tools");
        JsonNode search = find(tools, "tool_name", "search");
        assertEquals(100, search.get("calls").asLong());
        assertEquals(10, search.get("errors").asLong());
        assertEquals(0.1, search.get("error_rate").asDouble(), 1e-9);
        assertEquals(50.5, search.at("/latency_ms/p50").asDouble(), 1e-6);
        assertEquals(95.05, search.at("/latency_ms/p95").asDouble(), 1e-6);
        assertEquals(99.01, search.at("/latency_ms/p99").asDouble(), 1e-6);
        assertEquals(100.0, search.at("/latency_ms/max").asDouble(), 1e-6);
        JsonNode unused = find(tools, "tool_name", "unused");
        assertEquals(0, unused.get("calls").asLong());
        assertTrue(unused.at("/latency_ms/p95").isNull());
        assertEquals("search", tools.get(0).get("tool_name").asText(), "default order: most calls first");
        // 24 h includes the 3-hour-old call
        assertEquals(101, find(f.json("/api/telemetry/tools?window=24h").get("tools"), "tool_name", "search").get("calls").asLong());
        JsonNode bySlowest = f.json("/api/telemetry/tools?window=1h&sort=p95&limit=1").get("tools");
        assertEquals(1, bySlowest.size());
        assertEquals("read", bySlowest.get(0).get("tool_name").asText());
    }

    @Test
    void executionsPageByKeysetWithFilters() throws Exception {
        Set<Long> seen = new HashSet<>();
        List<Long> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        String previousStart = null;
        do {
            JsonNode page = f.json("/api/telemetry/executions?server=github&tool=search&limit=30"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            for (JsonNode item : page.get("items")) {
                assertTrue(seen.add(item.get("id").asLong()), "no row twice");
                order.add(item.get("id").asLong());
                String started = item.get("started_at").asText();
                if (previousStart != null) {
                    assertTrue(started.compareTo(previousStart) <= 0, "newest first");
                }
                previousStart = started;
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertEquals(101, seen.size());
        assertEquals(4, pages);
        // searched back in widening ranges (the call of 3 h ago is beyond the first): one query's order
        List<Long> expected = new ArrayList<>();
        for (List<String> row : rows("SELECT id FROM tool_executions WHERE tenant_id = '" + SampleFleet.ACME
                + "' AND server_name = 'github' AND tool_name = 'search' ORDER BY started_at DESC, id DESC")) {
            expected.add(Long.parseLong(row.get(0)));
        }
        assertEquals(expected, order);
        JsonNode errors = f.json("/api/telemetry/executions?outcome=error&limit=500");
        assertEquals(14, errors.get("count").asInt(), "10 tool errors + 1 exception + 3 timeouts");
        JsonNode timeouts = f.json("/api/telemetry/executions?outcome=timeout");
        assertEquals(3, timeouts.get("count").asInt());
        assertEquals("timed out after 2 s", timeouts.at("/items/0/error_message").asText());
        assertEquals(2000.0, timeouts.at("/items/0/duration_ms").asDouble(), 1e-9);
        JsonNode since = f.json("/api/telemetry/executions?since=" + SampleFleet.ago(java.time.Duration.ofSeconds(990)) + "&limit=500");
        // search i = 54..100 started 1800 - 15 i s ago, create_issue 16 min ago, the 3 reads 13..15 min ago
        assertEquals(47 + 1 + 3, since.get("count").asInt());
    }

    @Test
    void executionsCarryTheirTraceContextAndAreFoundByTraceId() throws Exception {
        JsonNode traced = f.json("/api/telemetry/executions?traceId=0AF7651916CD43DD8448EB211C80319C");
        assertEquals(1, traced.get("count").asInt());
        assertEquals("0af7651916cd43dd8448eb211c80319c", traced.at("/items/0/trace_id").asText());
        assertEquals("b7ad6b7169203331", traced.at("/items/0/span_id").asText());
        assertEquals("00f067aa0ba902b7", traced.at("/items/0/parent_span_id").asText());
        assertEquals("old", traced.at("/items/0/request_id").asText());
        assertEquals(0, f.json("/api/telemetry/executions?traceId=0af7651916cd43dd8448eb211c80319d").get("count").asInt());
    }

    @Test
    void errorsGroupByServerToolClassAndOutcome() throws Exception {
        JsonNode e = f.json("/api/telemetry/errors?window=1h");
        assertEquals(108, e.at("/totals/calls").asLong());
        assertEquals(14, e.at("/totals/errors").asLong());
        assertEquals(11, find(e.get("by_server"), "server_name", "github").get("errors").asLong());
        assertEquals(3, find(e.get("by_server"), "server_name", "files").get("errors").asLong());
        assertEquals(1, find(e.get("by_tool"), "tool_name", "create_issue").get("errors").asLong());
        JsonNode io = find(e.get("by_error_class"), "error_class", "java.io.IOException");
        assertEquals(1, io.get("errors").asLong());
        assertEquals("connection reset", io.get("last_message").asText());
        assertEquals(10, find(e.get("by_error_class"), "error_class", "tool_error").get("errors").asLong());
        assertEquals(3, find(e.get("by_outcome"), "outcome", "timeout").get("errors").asLong());
        // every class's latest failure and its message, as the raw rows of the hour have them (the raw window
        // groups per tool and kind of failure in SQL)
        java.time.Instant until = java.time.Instant.parse(e.at("/window/until").asText());
        String hour = "tenant_id = '" + SampleFleet.ACME + "' AND side = 'downstream' AND outcome <> 'success' AND started_at >= '"
                + until.minus(java.time.Duration.ofHours(1)) + "' AND started_at < '" + until + "'";
        List<List<String>> latest = rows("SELECT coalesce(error_class, outcome), count(*), "
                + "(extract(epoch FROM max(started_at)) * 1000000)::bigint, "
                + "string_agg(DISTINCT coalesce(error_message, 'NULL'), E'\\n') FILTER (WHERE started_at = (SELECT max(started_at) FROM tool_executions x "
                + "WHERE " + hour.replace("tenant_id", "x.tenant_id") + " AND coalesce(x.error_class, x.outcome) = coalesce(t.error_class, t.outcome))) "
                + "FROM tool_executions t WHERE " + hour + " GROUP BY 1 ORDER BY 1");
        assertTrue(latest.size() >= 3, latest.toString());
        for (List<String> k : latest) {
            JsonNode c = find(e.get("by_error_class"), "error_class", k.get(0));
            assertEquals(Long.parseLong(k.get(1)), c.get("errors").asLong(), k + " " + c);
            assertEquals(Times.ofMicros(Long.parseLong(k.get(2))),
                    java.time.Instant.parse(c.get("last_seen_at").asText()), k + " " + c);
            String message = c.get("last_message").isNull() ? "NULL" : c.get("last_message").asText();
            assertTrue(List.of(k.get(3).split("\n")).contains(message), k + " " + c);
        }
        long seriesErrors = 0;
        for (JsonNode p : e.get("series")) {
            seriesErrors += p.get("errors").asLong();
        }
        assertEquals(14, seriesErrors);
    }

    @Test
    void oauthApiRequestsAndInfraMetrics() throws Exception {
        JsonNode o = f.json("/api/telemetry/oauth?window=1h");
        assertEquals(3, o.at("/totals/success").asLong());
        assertEquals(1, o.at("/totals/failure").asLong());
        assertEquals(0.75, o.at("/totals/success_rate").asDouble(), 1e-9);
        assertEquals("invalid_grant", o.at("/recent_failures/0/error").asText());
        JsonNode a = f.json("/api/telemetry/api-requests?window=1h");
        assertEquals(10, a.at("/totals/requests").asLong());
        assertEquals(0.2, a.at("/totals/server_error_rate").asDouble(), 1e-9);
        assertEquals(10.0 / 60, a.at("/totals/per_minute").asDouble(), 0.001);
        assertEquals(2, a.at("/by_route/0/server_errors").asLong());
        JsonNode m = f.json("/api/telemetry/metrics?window=15m&metric=jvm.heap.used");
        assertEquals(102.0, find(m.get("latest"), "metric", "jvm.heap.used").get("value").asDouble(), 1e-9);
        assertFalse(m.get("series").isEmpty());
    }

    @Test
    void healthAndDashboard() throws Exception {
        JsonNode h = f.json("/api/telemetry/health");
        assertEquals("degraded", h.get("status").asText(), "hub up, one server failed and one disconnected");
        assertEquals(1, h.get("hubs_up").asInt());
        assertEquals(1, h.at("/servers/failed").asInt());
        JsonNode d = f.json("/api/telemetry/dashboard?window=1h");
        // the dashboard counts the servers from its server list: the same as /health's
        assertEquals(h.get("status"), d.get("status"));
        assertEquals(h.get("servers"), d.get("servers"));
        assertEquals(h.get("hubs"), d.get("hubs"));
        assertEquals(108, d.at("/executions/calls").asLong());
        assertEquals(14, d.at("/executions/errors").asLong());
        assertEquals("search", d.at("/top_tools/0/tool_name").asText());
        assertEquals("read", d.at("/slowest_tools/0/tool_name").asText());
        assertEquals(10, d.get("latest_errors").size());
        assertEquals(0.75, d.at("/oauth/success_rate").asDouble(), 1e-9);
        assertEquals(10, d.at("/api_requests/requests").asLong());
        assertEquals(3, d.get("server_list").size());
        assertFalse(d.at("/series/calls").isEmpty());
        assertFalse(d.at("/series/latency").isEmpty());
        assertEquals(SampleFleet.ACME, d.get("tenant").asText());
        // the latency series of the raw window, from the dashboard's one scan: what PostgreSQL gives per step
        List<String> expected = new ArrayList<>();
        for (List<String> row : rows("SELECT extract(epoch FROM t)::bigint, calls, round((p[1] / 1000)::numeric, 3), "
                + "round((p[2] / 1000)::numeric, 3), round((p[3] / 1000)::numeric, 3) FROM (SELECT "
                + "to_timestamp(floor(extract(epoch FROM started_at) / " + d.at("/series/step_s").asLong() + ") * "
                + d.at("/series/step_s").asLong() + ") AS t, count(*) AS calls, "
                + "percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_us) AS p FROM tool_executions "
                + "WHERE tenant_id = '" + SampleFleet.ACME + "' AND side = 'downstream' AND started_at >= '" + d.at("/window/since").asText()
                + "' AND started_at < '" + d.at("/window/until").asText() + "' GROUP BY 1) s ORDER BY t")) {
            expected.add(row.get(0) + " " + row.get(1) + " " + new java.math.BigDecimal(row.get(2)).doubleValue() + " "
                    + new java.math.BigDecimal(row.get(3)).doubleValue() + " " + new java.math.BigDecimal(row.get(4)).doubleValue());
        }
        List<String> series = new ArrayList<>();
        for (JsonNode step : d.at("/series/latency")) {
            series.add(java.time.Instant.parse(step.get("t").asText()).getEpochSecond() + " " + step.get("calls").asLong() + " "
                    + step.get("p50_ms").asDouble() + " " + step.get("p95_ms").asDouble() + " " + step.get("p99_ms").asDouble());
        }
        assertTrue(expected.size() > 3, expected.toString());
        assertEquals(expected, series);
        assertCallSeries(d);
    }

    /**
     * The dashboard's call series against the raw rows: every step from the window's start floored to the
     * step up to its end, zeros where nothing ran, each step's calls, errors, error rate and average as
     * PostgreSQL rounds them.
     */
    private void assertCallSeries(JsonNode d) throws Exception {
        long step = d.at("/series/step_s").asLong();
        String since = d.at("/window/since").asText();
        String until = d.at("/window/until").asText();
        List<String> expected = new ArrayList<>();
        for (List<String> row : rows("WITH steps AS (SELECT generate_series(to_timestamp(floor(extract(epoch FROM '" + since
                + "'::timestamptz) / " + step + ") * " + step + "), '" + until + "'::timestamptz, make_interval(secs => " + step
                + ")) AS t), per_step AS (SELECT to_timestamp(floor(extract(epoch FROM started_at) / " + step + ") * " + step
                + ") AS t, count(*) AS calls, count(*) FILTER (WHERE outcome <> 'success') AS errors, sum(duration_us) AS total "
                + "FROM tool_executions WHERE tenant_id = '" + SampleFleet.ACME + "' AND side = 'downstream' GROUP BY 1) "
                + "SELECT extract(epoch FROM s.t)::bigint, coalesce(a.calls, 0), coalesce(a.errors, 0), "
                + "round(coalesce(a.errors::numeric / nullif(a.calls, 0), 0), 4), round(a.total::numeric / nullif(a.calls, 0) / 1000, 3) "
                + "FROM steps s LEFT JOIN per_step a ON a.t = s.t ORDER BY s.t")) {
            expected.add(row.get(0) + " " + row.get(1) + " " + row.get(2) + " " + new java.math.BigDecimal(row.get(3)).doubleValue()
                    + " " + (row.get(4) == null ? null : new java.math.BigDecimal(row.get(4)).doubleValue()));
        }
        List<String> series = new ArrayList<>();
        for (JsonNode p : d.at("/series/calls")) {
            series.add(java.time.Instant.parse(p.get("t").asText()).getEpochSecond() + " " + p.get("calls").asLong() + " "
                    + p.get("errors").asLong() + " " + p.get("error_rate").asDouble() + " "
                    + (p.get("avg_ms").isNull() ? null : p.get("avg_ms").asDouble()));
        }
        assertTrue(expected.stream().anyMatch(r -> r.contains(" null")) && expected.stream().anyMatch(r -> !r.contains(" null")),
                "steps with calls and steps without: " + expected);
        assertEquals(expected, series);
    }

    @Test
    void longWindowsCountToTheMinuteFromHourlyAndMinuteRollups() throws Exception {
        java.time.Instant until = SampleFleet.ago(java.time.Duration.ZERO).plusSeconds(1);
        java.time.Instant threeHoursAgo = SampleFleet.ago(java.time.Duration.ofHours(3));
        // the call of 3 h ago sits in a partial hour at the window's start: the per-minute rollup counts it
        for (java.time.Duration length : List.of(java.time.Duration.ofHours(3).plusSeconds(30), java.time.Duration.ofDays(7),
                java.time.Duration.ofDays(30))) {
            JsonNode d = f.json("/api/telemetry/dashboard?since=" + until.minus(length) + "&until=" + until);
            assertEquals(109, d.at("/executions/calls").asLong(), length.toString());
            assertEquals(14, d.at("/executions/errors").asLong(), length.toString());
            long seriesCalls = 0;
            for (JsonNode step : d.at("/series/calls")) {
                seriesCalls += step.get("calls").asLong();
            }
            assertEquals(109, seriesCalls, "the series adds up to the totals over " + length);
            assertCallSeries(d);
            // the latest failures, looked for in the last hour, day, then the rest: the same as one query
            List<Long> latest = new ArrayList<>();
            d.get("latest_errors").forEach(e -> latest.add(e.get("id").asLong()));
            assertEquals(latestFailures(until.minus(length), until), latest, length.toString());
            // API requests: whole hours from their hourly rollup, the partial ones from the raw rows
            JsonNode api = d.get("api_requests");
            try (java.sql.Connection c = f.db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*), count(*) FILTER (WHERE status >= 500), percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_us) "
                    + "FROM api_requests WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?")) {
                ps.setString(1, SampleFleet.ACME);
                ps.setObject(2, java.time.OffsetDateTime.ofInstant(until.minus(length), java.time.ZoneOffset.UTC));
                ps.setObject(3, java.time.OffsetDateTime.ofInstant(until, java.time.ZoneOffset.UTC));
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String what = length + ": " + api;
                    assertEquals(length.toDays() >= 7 ? 16 : 10, rs.getLong(1), "the sample's requests in the window");
                    assertEquals(rs.getLong(1), api.get("requests").asLong(), what);
                    assertEquals((double) rs.getLong(2) / rs.getLong(1), api.get("server_error_rate").asDouble(), 1e-4, what);
                    double p95 = rs.getLong(3) / 1000.0;
                    assertEquals(p95, api.get("p95_ms").asDouble(), p95 * io.mcphub.telemetry.model.LatencyHistogram.RELATIVE_ERROR, what);
                }
            }
        }
        // windows ending earlier hold fewer than 10 failures in their last hour: the search widens, same rows
        for (int minutesBack : List.of(20, 40, 70)) {
            java.time.Instant end = until.minus(java.time.Duration.ofMinutes(minutesBack));
            JsonNode d = f.json("/api/telemetry/dashboard?since=" + end.minus(java.time.Duration.ofDays(30)) + "&until=" + end);
            List<Long> latest = new ArrayList<>();
            d.get("latest_errors").forEach(e -> latest.add(e.get("id").asLong()));
            assertEquals(latestFailures(end.minus(java.time.Duration.ofDays(30)), end), latest, minutesBack + " minutes back");
        }
        // a window starting a minute after that call leaves it out, though its hour is in the window
        JsonNode later = f.json("/api/telemetry/dashboard?since=" + threeHoursAgo.plusSeconds(60) + "&until=" + until);
        assertEquals(108, later.at("/executions/calls").asLong());
        JsonNode errors = f.json("/api/telemetry/errors?since=" + until.minus(java.time.Duration.ofDays(30)) + "&until=" + until);
        assertEquals(14, errors.at("/totals/errors").asLong(), errors.toString());
    }

    /**
     * The long windows' per-tool figures (one scan of the daily rollups, histograms merged in Java) and
     * error classes (one scan of the error rollups) against the raw rows: counts, average and maximum
     * exactly, percentiles within the histogram's relative error.
     */
    @Test
    void longWindowToolsAndErrorClassesEqualTheRawRows() throws Exception {
        for (String window : List.of("7d", "30d")) {
            JsonNode tools = f.json("/api/telemetry/tools?window=" + window);
            int compared = 0;
            try (java.sql.Connection c = f.db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                    "SELECT server_name, tool_name, count(*) AS calls, count(*) FILTER (WHERE outcome <> 'success') AS errors, "
                    + "round(avg(duration_us)::numeric / 1000, 3) AS avg_ms, max(duration_us) / 1000.0 AS max_ms, "
                    + "percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_us) AS p "
                    + "FROM tool_executions WHERE tenant_id = ? AND side = 'downstream' GROUP BY 1, 2")) {
                ps.setString(1, SampleFleet.ACME);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JsonNode t = null;
                        for (JsonNode x : tools.get("tools")) {
                            if (x.get("server_name").asText().equals(rs.getString(1)) && x.get("tool_name").asText().equals(rs.getString(2))) {
                                t = x;
                            }
                        }
                        String what = window + " " + rs.getString(1) + "/" + rs.getString(2) + ": " + t;
                        assertNotNull(t, what);
                        assertEquals(rs.getLong(3), t.get("calls").asLong(), what);
                        assertEquals(rs.getLong(4), t.get("errors").asLong(), what);
                        assertEquals(rs.getDouble(6), t.at("/latency_ms/max").asDouble(), 1e-9, what);
                        Long[] p = (Long[]) rs.getArray(7).getArray();
                        String[] names = {"p50", "p95", "p99"};
                        for (int i = 0; i < 3; i++) {
                            double exactMs = p[i] / 1000.0;
                            assertEquals(exactMs, t.at("/latency_ms/" + names[i]).asDouble(),
                                    Math.max(exactMs * io.mcphub.telemetry.model.LatencyHistogram.RELATIVE_ERROR, 0.001), what + " " + names[i]);
                        }
                        compared++;
                    }
                }
            }
            assertTrue(compared > 2, "tools compared: " + compared);
            JsonNode errors = f.json("/api/telemetry/errors?window=" + window);
            try (java.sql.Connection c = f.db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(error_class, outcome), count(*), count(DISTINCT server_name || '/' || tool_name), max(started_at) "
                    + "FROM tool_executions WHERE tenant_id = ? AND side = 'downstream' AND outcome <> 'success' GROUP BY 1")) {
                ps.setString(1, SampleFleet.ACME);
                int classes = 0;
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JsonNode k = find(errors.get("by_error_class"), "error_class", rs.getString(1));
                        String what = window + " " + rs.getString(1) + ": " + k;
                        assertEquals(rs.getLong(2), k.get("errors").asLong(), what);
                        assertEquals(rs.getLong(3), k.get("tools").asLong(), what);
                        assertEquals(rs.getTimestamp(4).toInstant(), java.time.Instant.parse(k.get("last_seen_at").asText()), what);
                        classes++;
                    }
                }
                assertEquals(classes, errors.get("by_error_class").size(), errors.toString());
                long previous = Long.MAX_VALUE;
                for (JsonNode k : errors.get("by_error_class")) {
                    assertTrue(k.get("errors").asLong() <= previous, "most errors first: " + errors);
                    previous = k.get("errors").asLong();
                }
            }
        }
    }

    /** The ids of the 10 latest failed calls in [since, until), by one query over the raw rows. */
    private List<Long> latestFailures(java.time.Instant since, java.time.Instant until) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (List<String> row : rows("SELECT id FROM tool_executions WHERE tenant_id = '" + SampleFleet.ACME + "' AND outcome <> 'success' "
                + "AND started_at >= '" + since + "' AND started_at < '" + until + "' ORDER BY started_at DESC, id DESC LIMIT 10")) {
            ids.add(Long.parseLong(row.get(0)));
        }
        return ids;
    }

    private List<List<String>> rows(String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (java.sql.Connection c = f.db.connect(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void badParametersAre400sNamingTheParameter() throws Exception {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"/api/telemetry/tools?window=5x", "window"});
        cases.add(new String[] {"/api/telemetry/tools?since=yesterday", "since"});
        cases.add(new String[] {"/api/telemetry/executions?limit=0", "limit"});
        cases.add(new String[] {"/api/telemetry/executions?outcome=great", "outcome"});
        cases.add(new String[] {"/api/telemetry/executions?cursor=nonsense", "cursor"});
        cases.add(new String[] {"/api/telemetry/executions?traceId=b7ad6b7169203331", "traceId"});
        cases.add(new String[] {"/api/telemetry/servers?sevrer=x", "sevrer"});
        cases.add(new String[] {"/api/telemetry/dashboard?window=1h&since=2025-01-01T00:00:00Z", "window"});
        cases.add(new String[] {"/api/telemetry/events?last_event_id=abc", "last_event_id"});
        for (String[] c : cases) {
            HttpResponse<String> r = f.get(c[0], null);
            assertEquals(400, r.statusCode(), c[0] + " -> " + r.body());
            JsonNode body = ApiFixture.JSON.readTree(r.body());
            assertEquals(c[1], body.get("parameter").asText(), r.body());
            assertTrue(body.get("message").asText().contains(c[1]), r.body());
        }
        assertEquals(404, f.get("/api/telemetry/nothing", null).statusCode());
    }
}
