package io.mcphub.telemetry.agent;

import io.mcphub.telemetry.HubInstance;
import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.embedded.EmbeddedLocator;
import io.mcphub.telemetry.api.ApiServer;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.sink.TimeBoxed;
import java.time.Duration;

/**
 * The agent's composition root: telemetry writing to the configured database (or an embedded one),
 * the API server started once that database is connected, and one shutdown hook that stops them in
 * order: the API, then telemetry (which writes what is queued), then the embedded database.
 */
public final class AgentRuntime implements AutoCloseable {

    private static final Duration API_CLOSE = Duration.ofMillis(300);

    private final McpHubTelemetry telemetry;
    private final ApiLauncher api;
    private final Thread hook;

    private AgentRuntime(TelemetryConfig config, boolean withApi) {
        this.api = new ApiLauncher(config);
        McpHubTelemetry.Builder builder = telemetry(config).shutdownHook(false);
        if (withApi) {
            builder.whenConnected(api::start);
        }
        this.telemetry = builder.build();
        this.hook = new Thread(this::closeAtExit, "mcp-telemetry-shutdown");
    }

    /** Telemetry with the agent's database choice: the configured server, else an embedded PostgreSQL. */
    public static McpHubTelemetry.Builder telemetry(TelemetryConfig config) {
        return McpHubTelemetry.builder(config).database(new EmbeddedLocator(config));
    }

    /** Starts recording at once and connects in the background, as the agent does in a hub. */
    public static AgentRuntime startInBackground(TelemetryConfig config, HubInstance hub) {
        AgentRuntime runtime = new AgentRuntime(config, true);
        runtime.telemetry.initializeInBackground(hub);
        Runtime.getRuntime().addShutdownHook(runtime.hook);
        return runtime;
    }

    public McpHubTelemetry telemetry() {
        return telemetry;
    }

    /** The telemetry API server, or null (disabled, not connected yet, or it could not bind). */
    public ApiServer apiServer() {
        return api.server();
    }

    /**
     * The API closes beside telemetry and is waited for at most {@link #API_CLOSE}: its HTTP server and
     * connection pool wait on the network when they close, and a database that does not answer must
     * not hold up the hub's exit. Telemetry bounds its own close (see {@link McpHubTelemetry#closeAtExit}).
     */
    private void closeAtExit() {
        Thread apiClosing = TimeBoxed.start("telemetry API", api::close);
        telemetry.closeAtExit();
        TimeBoxed.await(apiClosing, "telemetry API", API_CLOSE);
    }

    @Override
    public void close() {
        api.close();
        telemetry.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs or has run
        }
    }
}
