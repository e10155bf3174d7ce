package io.mcphub.telemetry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.config.ConfigOption;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TelemetryCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return TelemetryCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void configListsEverySettingWithItsVariable() {
        assertEquals(0, run("config"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (ConfigOption o : ConfigOption.values()) {
            assertTrue(text.contains(o.key()) && text.contains(o.env()), o.key());
        }
    }

    @Test
    void unknownCommandPrintsUsageAndFails() {
        assertEquals(2, run("frobnicate"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage:"));
        assertEquals(0, run());
    }

    @Test
    void badCountIsAClearError() {
        assertEquals(2, run("sample", "many"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("count must be a whole number"));
    }
}
