package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.TenantRecord;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.sink.DigestCompaction;
import java.sql.Connection;
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
 * The API server keeps the merged tool digests of a window's buckets by the identities of the rows it
 * merged (DigestCache): what it answers from a held merge equals what it answers after forgetting it,
 * through rows written since, many of them (taken into the merge), compaction replacing the rows it merged,
 * and rows deleted; windows ending within the same buckets share the merge.
 */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class DigestCacheTest {
    private static final String TENANT = "umbrella";

    @Parameter
    StorageLayout layout;

    /** Half past an hour: a second earlier ends in the same buckets. */
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofMinutes(30));

    private static ToolExecutionRecord call(String server, String tool, Instant at, long durationUs, Outcome outcome) {
        return new ToolExecutionRecord(TENANT, "hub-1", server, tool, Times.micros(at, "startedAt"), durationUs, outcome,
                outcome == Outcome.SUCCESS ? null : "Boom", outcome == Outcome.SUCCESS ? null : "failed at " + at,
                null, null, null, null, null, null, ExecutionSide.DOWNSTREAM);
    }

    /** A window by its length back from {@link #now}: an hourly one, a daily one without a whole week, one with weeks. */
    private List<Duration> lengths() {
        return List.of(Duration.ofHours(30), Duration.ofDays(3), Duration.ofDays(30));
    }

    private String range(Duration length, long secondsEarlier) {
        Instant until = now.minusSeconds(secondsEarlier);
        return "since=" + until.minus(length) + "&until=" + until;
    }

    /** What the windows answer, per-tool figures with percentiles (/tools) and the counts-only path (/errors). */
    private List<JsonNode> answers(ApiFixture f, long secondsEarlier) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (Duration length : lengths()) {
            out.add(f.json("/api/telemetry/tools?" + range(length, secondsEarlier)).get("tools"));
            out.add(f.json("/api/telemetry/errors?" + range(length, secondsEarlier)).get("by_tool"));
        }
        return out;
    }

    /** The same windows read with nothing held: every row merged anew. */
    private List<JsonNode> uncached(ApiFixture f) throws Exception {
        f.server.digests().clear();
        return answers(f, 0);
    }

    private static long calls(JsonNode tools) {
        long n = 0;
        for (JsonNode t : tools) {
            n += t.get("calls").asLong();
        }
        return n;
    }

    @Test
    void aServerWithoutADigestCacheHoldsNothingAndAnswersFromTheRows() throws Exception {
        try (ApiFixture f = ApiFixture.start(ApiFixture.localSettings(TENANT).withDigestCache(0), layout,
                UnaryOperator.identity(), Duration.ofHours(1))) {
            List<TelemetryRecord> history = new ArrayList<>();
            history.add(new TenantRecord(TENANT, "Umbrella"));
            for (int i = 1; i <= 40; i++) {
                history.add(call("github", "tool-" + i % 3, now.minus(Duration.ofHours(5L * i)), 2_000L + i, Outcome.SUCCESS));
            }
            f.publish(history.toArray(TelemetryRecord[]::new));
            compact(f);
            DigestCache cache = f.server.digests();
            List<JsonNode> first = answers(f, 0);
            assertEquals(first, answers(f, 1));
            assertEquals(0, cache.hits(), "nothing held, nothing answered from a merge");
            assertEquals(0, cache.bytes());
            // calls 5 h apart: 30 h holds 1-6 (the hour holding its start: the 6th alone), 3 d 1-14 and the rest of
            // the day holding its start (up to 5 more), 30 d all 40
            assertEquals(6, calls(first.get(0)), first.get(0).toString());
            long days = calls(first.get(2));
            assertTrue(days >= 14 && days <= 19, first.get(2).toString());
            assertEquals(40, calls(first.get(4)), first.get(4).toString());
        }
    }

    @Test
    void heldMergesAnswerAsTheRowsDo() throws Exception {
        try (ApiFixture f = ApiFixture.start(ApiFixture.localSettings(TENANT), layout, UnaryOperator.identity(), Duration.ofHours(1))) {
            List<TelemetryRecord> history = new ArrayList<>();
            history.add(new TenantRecord(TENANT, "Umbrella"));
            for (int i = 1; i <= 28 * 8; i++) {
                Instant at = now.minus(Duration.ofHours(3L * i)).plusSeconds(i * 37L % 600);
                history.add(call(i % 3 == 0 ? "files" : "github", "tool-" + i % 4, at, 1_000L + i * 7_919L % 90_000,
                        i % 5 == 0 ? Outcome.TOOL_ERROR : Outcome.SUCCESS));
            }
            f.publish(history.toArray(TelemetryRecord[]::new));
            compact(f);
            DigestCache cache = f.server.digests();

            long misses = cache.misses();
            long hits = cache.hits();
            List<JsonNode> compacted = answers(f, 0);
            assertEquals(misses + 3, cache.misses(), "nothing held yet: each window's first read merges its rows");
            assertEquals(hits + 3, cache.hits(), "/errors of a window reads what /tools of it merged");
            hits = cache.hits();
            assertEquals(compacted, answers(f, 1), "a second earlier: the same buckets, the same answers");
            assertEquals(hits + 6, cache.hits(), "answered from the held merges");
            assertTrue(cache.bytes() > 0, "merges held");
            for (int i = 0; i < compacted.size(); i += 2) {
                assertTrue(calls(compacted.get(i)) >= 8, compacted.get(i).toString());
            }

            // a row written since: read and added to the held merge
            f.publish(call("github", "tool-1", now.minus(Duration.ofHours(2)), 4_000_000, Outcome.TOOL_ERROR));
            hits = cache.hits();
            List<JsonNode> fresh = answers(f, 0);
            assertEquals(hits + 6, cache.hits(), "the merges still hold: every row they merged is there");
            for (int i = 0; i < fresh.size(); i += 2) {
                assertEquals(calls(compacted.get(i)) + 1, calls(fresh.get(i)), fresh.get(i).toString());
            }
            assertEquals(uncached(f), fresh, "a held merge and the row written since");

            // many rows written since (a batch each): taken into the merge, and still the same answers
            for (int k = 0; k < 10; k++) {
                f.publish(call("files", "tool-0", now.minus(Duration.ofHours(2)).plusSeconds(k), 10_000 + k, Outcome.SUCCESS));
            }
            List<JsonNode> many = answers(f, 0);
            assertEquals(many, answers(f, 0), "after taking them in");
            assertEquals(uncached(f), many, "the rows written since, taken into the merges");
            assertEquals(calls(fresh.get(0)) + 10, calls(many.get(0)));

            // compaction replaces the rows the merges hold: they are merged anew, and answer the same
            answers(f, 0);
            compact(f);
            misses = cache.misses();
            assertEquals(many, answers(f, 0), "compaction changes rows, not sums");
            assertEquals(misses + 3, cache.misses(), "each window held a row that compaction replaced");

            // rows deleted: a held merge that counted them is not used
            answers(f, 0);
            try (Connection c = f.db.connect(); Statement st = c.createStatement()) {
                Instant hour = now.minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
                Instant day = now.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.DAYS);
                assertTrue(st.executeUpdate("DELETE FROM rollup_tool_digest_1h WHERE bucket >= '" + hour.minus(Duration.ofHours(6))
                        + "' AND bucket <= '" + hour + "'") > 0);
                assertTrue(st.executeUpdate("DELETE FROM rollup_tool_digest_1d WHERE bucket = '" + day + "'") > 0);
            }
            List<JsonNode> deleted = answers(f, 0);
            assertNotEquals(many.get(0), deleted.get(0), "the hours deleted are not counted");
            assertNotEquals(many.get(2), deleted.get(2), "the day deleted is not counted");
            assertTrue(calls(deleted.get(0)) < calls(many.get(0)));
            assertTrue(calls(deleted.get(2)) < calls(many.get(2)));
            assertEquals(uncached(f), deleted, "after rows were deleted");
        }
    }

    /** What the sink's maintenance does on its schedule (an hour apart in this test). */
    private static void compact(ApiFixture f) throws Exception {
        try (Connection c = f.db.connect(); Statement st = c.createStatement()) {
            st.execute("SELECT mcp_telemetry_compact(30)");
            DigestCompaction.run(c);
        }
    }
}
