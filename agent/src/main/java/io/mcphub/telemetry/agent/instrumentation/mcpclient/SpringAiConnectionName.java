package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import java.util.regex.Pattern;

/**
 * The connection name a Spring AI app gave a server ({@code spring.ai.mcp.client.stdio.connections.<name>},
 * {@code ...sse.connections.<name>}, ...), read back from the {@code clientInfo} Spring AI builds for that
 * connection. Spring AI's {@code McpClientAutoConfiguration.connectedClientName} makes the client's name
 * {@code clientName + " - " + serverConnectionName} (spring-ai-autoconfigure-mcp-client 1.0.x, and
 * spring-ai-autoconfigure-mcp-client-common since 1.1, where {@code new McpSchema.Implementation(
 * connectedClientName(commonProperties.getName(), namedTransport.name()), namedTransport.name(),
 * commonProperties.getVersion())} also makes the connection name the title).
 */
final class SpringAiConnectionName {

    private static final String SEPARATOR = " - ";
    /**
     * Without a title only the name says it; the part after the last separator must then look like a
     * property key, so that a client merely called "Acme Hub - Production Edition" is not taken for one.
     */
    private static final Pattern PROPERTY_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private SpringAiConnectionName() {
    }

    /** The connection name, or null when {@code clientName} (with {@code clientTitle}) is not of Spring AI's shape. */
    static String of(String clientName, String clientTitle) {
        if (clientName == null) {
            return null;
        }
        if (clientTitle != null && !clientTitle.isBlank()) {
            String suffix = SEPARATOR + clientTitle;
            return clientName.endsWith(suffix) && clientName.length() > suffix.length() ? clientTitle.strip() : null;
        }
        int at = clientName.lastIndexOf(SEPARATOR);
        if (at <= 0) {
            return null;
        }
        String connection = clientName.substring(at + SEPARATOR.length());
        return PROPERTY_KEY.matcher(connection).matches() ? connection : null;
    }
}
