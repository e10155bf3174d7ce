package io.mcphub.telemetry.agent.mcpclient;

import io.mcphub.telemetry.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

/** MCP client side: the hub's connections to downstream MCP servers. */
public final class McpClientInstrumentation implements InstrumentationModule {

    @Override
    public String name() {
        return "mcp-client";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        return builder;
    }
}
