package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The clientInfo Spring AI sends for a connection: McpClientAutoConfiguration.connectedClientName returns
 * {@code clientName + " - " + serverConnectionName}, the client name defaulting to
 * {@code spring-ai-mcp-client} (McpClientCommonProperties); since 1.1 (spring-ai-autoconfigure-mcp-client-common)
 * the Implementation is {@code new McpSchema.Implementation(connectedClientName(commonProperties.getName(),
 * namedTransport.name()), namedTransport.name(), commonProperties.getVersion())}, i.e. the connection name is
 * also the title; in 1.0.x (spring-ai-autoconfigure-mcp-client) it is {@code new McpSchema.Implementation(
 * connectedClientName(...), commonProperties.getVersion())}, without a title.
 */
class SpringAiConnectionNameTest {

    @Test
    void springAi11AndLaterNameAndTitle() {
        assertEquals("everything", SpringAiConnectionName.of("spring-ai-mcp-client - everything", "everything"));
        assertEquals("brave search", SpringAiConnectionName.of("my-app - brave search", "brave search"),
                "with the title, any connection name");
        assertEquals("b", SpringAiConnectionName.of("hub - a - b", "b"));
    }

    @Test
    void springAi10NameOnly() {
        assertEquals("filesystem", SpringAiConnectionName.of("spring-ai-mcp-client - filesystem", null));
        assertEquals("java-tools.v2", SpringAiConnectionName.of("My Hub - java-tools.v2", ""));
    }

    @Test
    void otherClientsAreNotTakenForSpringAi() {
        assertNull(SpringAiConnectionName.of("demo-hub", null));
        assertNull(SpringAiConnectionName.of("demo-hub", "Demo Hub"), "a title that is not the name's tail");
        assertNull(SpringAiConnectionName.of("Acme Hub - Production Edition", null), "not a property key");
        assertNull(SpringAiConnectionName.of(" - everything", null), "no client name before the separator");
        assertNull(SpringAiConnectionName.of("x - ", null));
        assertNull(SpringAiConnectionName.of("everything", "everything"), "no separator");
        assertNull(SpringAiConnectionName.of(null, "everything"));
    }
}
