package io.mcphub.telemetry.agent;

import io.mcphub.telemetry.text.SecretScrubber;
import io.mcphub.telemetry.api.ApiServer;
import io.mcphub.telemetry.api.ApiSettings;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.schema.DatabaseTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the telemetry API and dashboard from the hub process once the database is there. Never fails
 * the hub: a taken port (or a runtime without the JDK's HTTP server) costs one log line and no API.
 */
final class ApiLauncher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiLauncher.class);

    private final TelemetryConfig config;
    private volatile ApiServer server;
    private volatile boolean closed;

    ApiLauncher(TelemetryConfig config) {
        this.config = config;
    }

    synchronized void start(DatabaseTarget target) {
        if (!config.apiEnabled() || server != null || closed) {
            return;
        }
        try {
            ApiSettings settings = ApiSettings.of(config);
            ApiSettings.AuthMode mode = settings.authMode();
            server = ApiServer.start(settings, target);
            if (mode == ApiSettings.AuthMode.LOCAL) {
                LOG.info("telemetry API and dashboard on {}/ (local mode: requests from this machine need no token and see "
                        + "tenant {}; set api.auth=token to require tokens)", server.url(), config.tenant());
            } else {
                LOG.info("telemetry API and dashboard on {}/ (API tokens required)", server.url());
            }
        } catch (Throwable e) {
            LOG.warn("telemetry API not started on {}:{} ({}); the hub and its telemetry carry on without it "
                    + "(set api.port, or api.enabled=false)", config.apiBind(), config.apiPort(), SecretScrubber.describe(e));
        }
    }

    /** The running server, or null (disabled, not connected yet, port taken). */
    ApiServer server() {
        return server;
    }

    @Override
    public synchronized void close() {
        closed = true;
        ApiServer s = server;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.debug("telemetry API close: {}", SecretScrubber.describe(e));
            }
        }
    }
}
