package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Times;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the COPY encoder against the real decoder, PostgreSQL: random strings built from the
 * characters COPY's text format and UTF-8 care about (tab, newline, backslash, {@code \.}, {@code \N},
 * NUL, lone and paired surrogates, control characters, long runs) go through the sink and must come
 * back exactly, except NUL (stored as U+2400) and unpaired surrogates (U+FFFD).
 */
class CopyEncoderFuzzTest {

    private static final String[] ATOMS = {"\t", "\n", "\r", "\\", "\\.", "\\N", "\u0000", "\uD800", "\uDFFF",
        "\uD83D\uDE00", "\u0001", "\u001F", "\u007F", "\u0085", "\u2028", "\uFEFF", "\uFFFF", "é", "中", "'", "\"",
        "'; DROP TABLE tool_executions; --", "%", "_", ",", "{", "}", "[", "]", "\b", "\f", "\u000B"};

    private TestDatabase db;
    private PostgresTelemetrySink sink;

    @BeforeEach
    void start() {
        db = TestDatabase.create();
        sink = PostgresTelemetrySink.start(SinkTestSupport.settings().batchSize(250).build(), SinkTestSupport.target(db));
    }

    @AfterEach
    void stop() {
        sink.close();
        db.close();
    }

    static String randomValue(Random random) {
        StringBuilder sb = new StringBuilder();
        int parts = random.nextInt(30);
        for (int i = 0; i < parts; i++) {
            switch (random.nextInt(5)) {
                case 0 -> sb.append(ATOMS[random.nextInt(ATOMS.length)]);
                case 1 -> sb.append((char) random.nextInt(0x80));
                case 2 -> sb.append((char) random.nextInt(0x10000));
                case 3 -> sb.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> sb.append("ab\\".repeat(random.nextInt(5)));
            }
        }
        return sb.toString();
    }

    /** What PostgreSQL must hold: the value with NUL and unpaired surrogates replaced. */
    static String expectedStored(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                sb.append('\u2400');
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Test
    void randomHostileStringsRoundTripThroughPostgresCopy() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        int n = Integer.getInteger("fuzz.rounds", 3_000);
        Map<String, List<String>> sent = new HashMap<>();
        Instant t0 = Instant.now();
        for (int i = 0; i < n; i++) {
            String tool = "t" + i + randomValue(random);
            String message = randomValue(random);
            String session = randomValue(random);
            assertTrue(sink.publish(new ToolExecutionRecord("fuzz", "hub", "srv", tool, Times.micros(t0, "startedAt"), i, Outcome.TOOL_ERROR,
                    null, message, null, null, session, "r" + i, null, null, ExecutionSide.DOWNSTREAM)));
            sent.put("r" + i, List.of(tool, message, session));
        }
        assertTrue(sink.flush(Duration.ofSeconds(60)));
        assertEquals(0, sink.stats().rejected(), "seed " + seed + ": no record refused");
        List<String> mismatches = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT request_id, tool_name, error_message, session_id FROM tool_executions")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                List<String> values = sent.get(rs.getString(1));
                for (int k = 0; k < 3; k++) {
                    String expected = expectedStored(values.get(k));
                    String actual = rs.getString(k + 2);
                    if (!expected.equals(actual) && mismatches.size() < 5) {
                        mismatches.add(rs.getString(1) + "[" + k + "]: expected " + escape(expected) + " got " + escape(actual));
                    }
                }
            }
            assertEquals(n, rows, "seed " + seed);
        }
        assertTrue(mismatches.isEmpty(), "seed " + seed + ": " + mismatches);
    }

    private static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(c < 0x20 || c > 0x7E ? String.format("\\u%04X", c) : String.valueOf((char) c)));
        return sb.toString();
    }
}
