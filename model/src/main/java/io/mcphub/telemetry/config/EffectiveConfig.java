package io.mcphub.telemetry.config;

import io.mcphub.telemetry.text.SecretScrubber;
import java.util.List;

/**
 * What the settings are, as the agent would run with them: each one's value and source, and every
 * problem found (each message names the setting, where it came from, its value and the rule).
 */
public record EffectiveConfig(List<Setting> settings, List<String> problems) {

    public EffectiveConfig {
        settings = List.copyOf(settings);
        problems = List.copyOf(problems);
    }

    /**
     * {@code source} is where the value came from ({@code environment variable POSTGRES_PORT},
     * {@code agent argument tenant}, ...), null for the default; {@code problem} is null when valid.
     */
    public record Setting(ConfigOption option, String value, String source, String problem) {

        /** The value as it may be shown: passwords masked, a JDBC URL without its credentials. */
        public String shown() {
            if (value == null) {
                return option == ConfigOption.INSTANCE_ID ? "(random per process)" : "-";
            }
            if (option == ConfigOption.JDBC_URL) {
                return SecretScrubber.scrub(value);
            }
            if (option.secret()) {
                return value.isEmpty() ? "(empty)" : "***";
            }
            return value.isEmpty() ? "(empty)" : value;
        }

        public String shownSource() {
            return source == null ? "default" : source;
        }
    }

    public boolean valid() {
        return problems.isEmpty();
    }
}
