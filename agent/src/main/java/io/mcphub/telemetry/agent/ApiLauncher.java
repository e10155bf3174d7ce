package io.mcphub.telemetry.agent;

import io.mcphub.telemetry.text.SecretScrubber;
import io.mcphub.telemetry.api.ApiServer;
import io.mcphub.telemetry.api.ApiSettings;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.schema.DatabaseTarget;
import java.io.IOException;
import java.net.BindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the telemetry API and dashboard from the hub process once the database is there. Never fails
 * the hub: a taken port makes it serve on a free one (a WARN says so, the INFO line after it gives the
 * URL), and anything else (a runtime without the JDK's HTTP server, a bind address not of this host)
 * costs one log line and no API.
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
            server = startOnFreePortIfTaken(settings, target);
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

    /**
     * Another process (often a second hub on the same machine, with the same default) may hold the
     * port; what holds it cannot be known from here. The free port is tried before anything is logged,
     * so that a bind that fails for another reason is not reported as a taken port.
     */
    private static ApiServer startOnFreePortIfTaken(ApiSettings settings, DatabaseTarget target) throws IOException {
        try {
            return ApiServer.start(settings, target);
        } catch (BindException taken) {
            if (settings.port() == 0) {
                throw taken;
            }
            ApiServer fallback;
            try {
                fallback = ApiServer.start(settings.withPort(0), target);
            } catch (IOException | RuntimeException e) {
                taken.addSuppressed(e);
                throw taken;
            }
            LOG.warn("telemetry API: port {} is in use on {}; serving on free port {} instead, {}/ (set api.port to "
                    + "choose a port)", settings.port(), settings.bind(), fallback.port(), fallback.url());
            return fallback;
        }
    }

    /** The running server, or null (disabled, not connected yet, or it could not bind). */
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
