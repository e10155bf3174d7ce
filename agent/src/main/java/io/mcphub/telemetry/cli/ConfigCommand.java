package io.mcphub.telemetry.cli;

import io.mcphub.telemetry.agent.embedded.EmbeddedBinaries;
import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.EffectiveConfig;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.sink.TelemetryStartupException;
import io.mcphub.telemetry.text.SecretScrubber;
import java.io.PrintStream;

/**
 * {@code config [key=value,...]}: the settings the agent would run with here (this environment and
 * these system properties, and the given agent arguments), each with its source, secrets masked, and
 * every invalid value flagged; non-zero exit when there is one. {@code config --reference}: every
 * setting with its variable, default and meaning.
 */
final class ConfigCommand {

    static final String REFERENCE = "--reference";

    private ConfigCommand() {
    }

    /** Exit status: 0 when every setting is valid, 1 otherwise. */
    static int effective(TelemetryConfig.Builder builder, PrintStream out, PrintStream err) {
        EffectiveConfig effective = builder.effective();
        out.println("effective telemetry settings (precedence: agent argument, setting in code, system property, "
                + "environment variable, default); `config " + REFERENCE + "` describes them");
        out.printf("%-28s %-36s %s%n", "key", "value", "source");
        for (EffectiveConfig.Setting s : effective.settings()) {
            out.printf("%-28s %-36s %s%s%n", s.option().key(), s.shown(), s.shownSource(),
                    s.problem() == null ? "" : "   <- INVALID");
        }
        if (!effective.valid()) {
            for (String problem : effective.problems()) {
                err.println("error: " + SecretScrubber.scrub(problem));
            }
            return 1;
        }
        TelemetryConfig config = builder.build();
        out.println();
        out.println("database:      " + (config.useEmbedded()
                ? "embedded PostgreSQL, data in " + config.embeddedDir() + ", port " + config.embeddedPort()
                : DatabaseTarget.of(config).describe()));
        if (config.useEmbedded()) {
            out.println("binaries:      " + embeddedBinaries(config));
        }
        out.println("telemetry API: " + (!config.apiEnabled() ? "off"
                : config.apiPort() == 0 ? "on a free port of " + config.apiBind() + " (logged at start)"
                : "http://" + config.apiBind() + ":" + config.apiPort() + "/ (a free port, logged, when that one is taken)"));
        return 0;
    }

    /** Where the embedded PostgreSQL's builds would be read from, or why they would not be found. */
    private static String embeddedBinaries(TelemetryConfig config) {
        try {
            return EmbeddedBinaries.find(config).jar().toString();
        } catch (TelemetryStartupException e) {
            return "MISSING: " + e.getMessage();
        }
    }

    static String reference() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-28s %-44s %-18s %s%n", "key (agent argument, -Dmcp.telemetry.<key>)", "environment",
                "default", "meaning"));
        for (ConfigOption o : ConfigOption.values()) {
            sb.append(String.format("%-28s %-44s %-18s %s%n", o.key(), o.env(),
                    o.defaultValue() == null ? "-" : o.defaultValue().isEmpty() ? "(empty)" : o.defaultValue(),
                    o.description().replace("`", "")));
        }
        return sb.toString();
    }
}
