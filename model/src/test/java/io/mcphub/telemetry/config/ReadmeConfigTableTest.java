package io.mcphub.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table must list every setting with its variable and default. */
class ReadmeConfigTableTest {

    @Test
    void everyOptionIsDocumentedWithItsEnvironmentVariableAndDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (ConfigOption option : ConfigOption.values()) {
            String defaultCell = option.defaultValue() == null ? "—"
                    : option.defaultValue().isEmpty() ? "(empty)" : "`" + option.defaultValue() + "`";
            String row = "| `" + option.key() + "` | `" + option.env() + "` | " + defaultCell + " | ";
            assertTrue(readme.contains(row), "README lacks the row starting with: " + row);
        }
    }
}
