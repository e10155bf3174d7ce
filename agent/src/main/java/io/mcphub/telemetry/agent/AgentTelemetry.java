package io.mcphub.telemetry.agent;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.config.TelemetryConfig;
import java.util.Map;
import java.util.Properties;

/** The telemetry instance the agent's hooks report to; null when the agent is disabled. */
public final class AgentTelemetry {

    private static volatile McpHubTelemetry instance;

    private AgentTelemetry() {
    }

    public static McpHubTelemetry get() {
        McpHubTelemetry t = instance;
        return t != null && t.isInitialized() ? t : null;
    }

    /** Sets the instance the hooks report to (the agent at start; tests, with a sink of their own). */
    public static void set(McpHubTelemetry telemetry) {
        instance = telemetry;
    }

    /** The agent's settings; defaults when the agent did not start (hooks then record nothing anyway). */
    public static TelemetryConfig config() {
        McpHubTelemetry t = instance;
        return t != null ? t.config() : Defaults.CONFIG;
    }

    private static final class Defaults {
        static final TelemetryConfig CONFIG = TelemetryConfig.builder(Map.of(), new Properties()).build();
    }
}
