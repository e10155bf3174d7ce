package io.mcphub.telemetry;

import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.Transport;

/**
 * An MCP server the hub connects to and its current state.
 *
 * @param endpoint     the command line (stdio) or URL (SSE, streamable HTTP); never credentials
 * @param capabilities the server's declared capabilities, any JSON-like value
 */
public record ServerRegistration(String name, Transport transport, String endpoint, ServerStatus status,
                                 String serverVersion, String protocolVersion, Object capabilities, String error) {

    public static ServerRegistration connected(String name, Transport transport, String endpoint) {
        return new ServerRegistration(name, transport, endpoint, ServerStatus.CONNECTED, null, null, null, null);
    }
}
