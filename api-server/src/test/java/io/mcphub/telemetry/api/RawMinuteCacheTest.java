package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.TenantRecord;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Windows up to an hour are answered from every raw row; the API server holds the rows of their whole minutes
 * (RawMinuteCache) and checks them by one count and maximum id: what it answers from held minutes equals what
 * it answers holding nothing, through windows moving on, rows written since into a held minute (late rows)
 * and into the partial minutes at the ends, and rows deleted.
 */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class RawMinuteCacheTest {
    private static final String TENANT = "hooli";

    @Parameter
    StorageLayout layout;

    /** Five seconds into a minute: no call lies within two seconds of a window's ends (calls at 15-45 s). */
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(3)).plusSeconds(5);

    private static ToolExecutionRecord call(String server, String tool, Instant at, long durationUs, Outcome outcome) {
        return new ToolExecutionRecord(TENANT, "hub-1", server, tool, Times.micros(at, "startedAt"), durationUs, outcome,
                outcome == Outcome.EXCEPTION ? "java.io.IOException" : null, outcome == Outcome.SUCCESS ? null : "failed at " + at,
                null, null, null, null, null, null, ExecutionSide.DOWNSTREAM);
    }

    private String range(long secondsEarlier) {
        Instant until = now.minusSeconds(secondsEarlier);
        return "since=" + until.minus(Duration.ofHours(1)) + "&until=" + until;
    }

    /** What an hour answers: per-tool figures and percentiles, failures by kind, the dashboard's latency steps. */
    private List<JsonNode> answers(ApiFixture f, long secondsEarlier) throws Exception {
        JsonNode dashboard = f.json("/api/telemetry/dashboard?" + range(secondsEarlier));
        JsonNode errors = f.json("/api/telemetry/errors?" + range(secondsEarlier));
        return List.of(f.json("/api/telemetry/tools?" + range(secondsEarlier)).get("tools"), errors.get("by_tool"),
                errors.get("by_error_class"), errors.get("by_outcome"), dashboard.get("top_tools"), dashboard.get("slowest_tools"),
                dashboard.at("/series/latency"));
    }

    private static long calls(List<JsonNode> answers) {
        long n = 0;
        for (JsonNode t : answers.get(0)) {
            n += t.get("calls").asLong();
        }
        return n;
    }

    private List<TelemetryRecord> history() {
        List<TelemetryRecord> out = new ArrayList<>();
        out.add(new TenantRecord(TENANT, "Hooli"));
        for (int i = 0; i < 240; i++) {
            Instant at = now.minusSeconds(3_600 - 20).plusSeconds(i * 15L).truncatedTo(ChronoUnit.MINUTES)
                    .plusSeconds(15 + i * 7L % 31);
            Outcome outcome = i % 9 == 0 ? Outcome.TOOL_ERROR : i % 13 == 0 ? Outcome.EXCEPTION : Outcome.SUCCESS;
            out.add(call(i % 3 == 0 ? "files" : "github", "tool-" + i % 4, at, 1_000L + i * 7_919L % 90_000, outcome));
        }
        return out;
    }

    @Test
    void heldMinutesAnswerAsTheRowsDo() throws Exception {
        try (ApiFixture f = ApiFixture.start(ApiFixture.localSettings(TENANT), layout, UnaryOperator.identity(), Duration.ofHours(1))) {
            f.publish(history().toArray(TelemetryRecord[]::new));
            RawMinuteCache cache = f.server.rawMinutes();
            long hits = cache.hits();
            List<JsonNode> first = answers(f, 0);
            assertTrue(calls(first) >= 200, first.get(0).toString());
            assertTrue(cache.bytes() > 0, "the whole minutes held");
            assertEquals(hits + 2, cache.hits(), "/errors and /tools read what the dashboard held");
            hits = cache.hits();
            assertEquals(first, answers(f, 1), "a second earlier: the same rows");
            assertEquals(hits + 3, cache.hits(), "answered from the held minutes");
            List<JsonNode> minuteEarlier = answers(f, 60);
            cache.clear();
            assertEquals(answers(f, 60), minuteEarlier, "a window a minute earlier: its first minute read, the rest held");

            // a late row into a held minute: the check sees it, the minutes are read again
            answers(f, 0);
            long misses = cache.misses();
            f.publish(call("github", "tool-1", now.minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.MINUTES).plusSeconds(30),
                    4_000_000, Outcome.TIMEOUT));
            List<JsonNode> late = answers(f, 0);
            assertTrue(cache.misses() > misses, "the held span changed");
            assertEquals(calls(first) + 1, calls(late));
            assertTrue(late.get(3).toString().contains("timeout"), late.get(3).toString());
            assertEquals(late, answers(f, 0), "held again");
            cache.clear();
            assertEquals(answers(f, 0), late, "as holding nothing");

            // a row in the partial minute at the window's end, never held
            f.publish(call("files", "tool-2", now.minusSeconds(3), 123_000, Outcome.SUCCESS));
            List<JsonNode> partial = answers(f, 0);
            assertEquals(calls(late) + 1, calls(partial));
            cache.clear();
            assertEquals(answers(f, 0), partial);

            // rows deleted (a purge): a held minute that counted them is not used
            answers(f, 0);
            try (Connection c = f.db.connect(); Statement st = c.createStatement()) {
                Instant from = now.minus(Duration.ofMinutes(40)).truncatedTo(ChronoUnit.MINUTES);
                assertTrue(st.executeUpdate("DELETE FROM tool_executions WHERE tenant_id = '" + TENANT + "' AND started_at >= '"
                        + from + "' AND started_at < '" + from.plus(Duration.ofMinutes(5)) + "'") > 0);
            }
            List<JsonNode> deleted = answers(f, 0);
            assertTrue(calls(deleted) < calls(partial), deleted.get(0).toString());
            try (Connection c = f.db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM tool_executions WHERE tenant_id = '" + TENANT
                         + "' AND started_at >= '" + now.minus(Duration.ofHours(1)) + "' AND started_at < '" + now + "'")) {
                rs.next();
                assertEquals(rs.getLong(1), calls(deleted));
            }
            cache.clear();
            assertEquals(answers(f, 0), deleted);

            // one row deleted and one written, the count kept: the maximum id tells
            answers(f, 0);
            try (Connection c = f.db.connect(); Statement st = c.createStatement()) {
                assertEquals(1, st.executeUpdate("DELETE FROM tool_executions WHERE id = (SELECT min(id) FROM tool_executions "
                        + "WHERE tenant_id = '" + TENANT + "' AND started_at >= '" + now.minus(Duration.ofMinutes(30)) + "')"));
            }
            f.publish(call("search", "query", now.minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES).plusSeconds(20),
                    77_000, Outcome.SUCCESS));
            List<JsonNode> swapped = answers(f, 0);
            assertEquals(calls(deleted), calls(swapped));
            assertTrue(swapped.get(0).toString().contains("\"search\""), swapped.get(0).toString());
            cache.clear();
            assertEquals(answers(f, 0), swapped);
        }
    }

    @Test
    void aServerWithoutTheCacheHoldsNothingAndAnswersTheSame() throws Exception {
        List<JsonNode> held;
        try (ApiFixture f = ApiFixture.start(ApiFixture.localSettings(TENANT), layout, UnaryOperator.identity(), Duration.ofHours(1))) {
            f.publish(history().toArray(TelemetryRecord[]::new));
            answers(f, 0);
            held = answers(f, 0);
        }
        try (ApiFixture f = ApiFixture.start(ApiFixture.localSettings(TENANT).withDigestCache(0), layout,
                UnaryOperator.identity(), Duration.ofHours(1))) {
            f.publish(history().toArray(TelemetryRecord[]::new));
            RawMinuteCache cache = f.server.rawMinutes();
            assertEquals(held, answers(f, 0));
            assertEquals(0, cache.hits() + cache.misses(), "nothing held, nothing checked");
            assertEquals(0, cache.bytes());
        }
    }
}
