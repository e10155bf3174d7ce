package io.modelcontextprotocol.spec;

/**
 * Stand-in for the SDK's client transport interface, with a shape the agent does not expect
 * (sendMessage returns a String instead of a Mono): the agent's matcher picks up implementations.
 */
public interface McpClientTransport {
    String sendMessage(Object message);
}
