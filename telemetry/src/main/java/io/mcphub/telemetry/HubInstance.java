package io.mcphub.telemetry;

import java.util.Map;

/** The hub being observed, as given to {@link McpHubTelemetry#initialize}. */
public record HubInstance(String name, String version, String host, Integer port, Map<String, ?> metadata) {

    public static HubInstance of(String name, String version, int port) {
        return new HubInstance(name, version, null, port, Map.of());
    }
}
