package io.mcphub.telemetry;

import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.sink.TelemetryStartupException;

/**
 * Where telemetry's database is. The configured server by default; the agent supplies one that
 * starts an embedded PostgreSQL when none is configured. {@link #close} runs after the sink wrote its
 * last record.
 */
public interface DatabaseLocator extends AutoCloseable {

    /** The database to connect to, starting it if this locator runs one. Throws with the setting to fix. */
    DatabaseTarget locate();

    @Override
    default void close() {
    }

    /** Whether this locator starts the database itself (an embedded one), rather than naming a server. */
    default boolean startsItsOwn() {
        return false;
    }

    /** The server named by the configuration ({@code POSTGRES_HOST}... or {@code jdbcUrl}). */
    static DatabaseLocator configured(TelemetryConfig config) {
        return () -> {
            if (config.useEmbedded()) {
                throw new TelemetryStartupException("no database configured: set " + ConfigOption.POSTGRES_HOST.env()
                        + " (and POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD) or "
                        + ConfigOption.JDBC_URL.env() + "; the embedded PostgreSQL comes with the agent jar and "
                        + "mcp-telemetry-embedded-postgres.jar");
            }
            return DatabaseTarget.of(config);
        };
    }
}
