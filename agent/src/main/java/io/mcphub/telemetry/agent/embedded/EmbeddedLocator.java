package io.mcphub.telemetry.agent.embedded;

import io.mcphub.telemetry.DatabaseLocator;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.schema.DatabaseTarget;

/**
 * The configured server, or, when none is configured, an embedded PostgreSQL started on first use
 * and stopped when telemetry is done with it.
 */
public final class EmbeddedLocator implements DatabaseLocator {

    private final TelemetryConfig config;
    private EmbeddedDatabase embedded;

    public EmbeddedLocator(TelemetryConfig config) {
        this.config = config;
    }

    @Override
    public synchronized DatabaseTarget locate() {
        if (!config.useEmbedded()) {
            return DatabaseTarget.of(config);
        }
        if (embedded == null) {
            // looked for at each attempt: a jar put in place while the hub runs is taken at the next retry
            EmbeddedBinaries binaries = EmbeddedBinaries.find(config);
            embedded = EmbeddedDatabase.start(binaries, config.embeddedDir(), config.embeddedPort(), config.postgresDb());
        }
        return new DatabaseTarget(embedded.jdbcUrl(), EmbeddedDatabase.USER, "", config.appPassword());
    }

    @Override
    public boolean startsItsOwn() {
        return config.useEmbedded();
    }

    @Override
    public synchronized void close() {
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }
}
