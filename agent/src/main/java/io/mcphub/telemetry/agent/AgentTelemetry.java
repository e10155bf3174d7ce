package io.mcphub.telemetry.agent;

import io.mcphub.telemetry.McpHubTelemetry;

/** The telemetry instance the agent's hooks report to; null when the agent is disabled. */
public final class AgentTelemetry {

    private static volatile McpHubTelemetry instance;

    private AgentTelemetry() {
    }

    public static McpHubTelemetry get() {
        McpHubTelemetry t = instance;
        return t != null && t.isInitialized() ? t : null;
    }

    static void set(McpHubTelemetry telemetry) {
        instance = telemetry;
    }
}
