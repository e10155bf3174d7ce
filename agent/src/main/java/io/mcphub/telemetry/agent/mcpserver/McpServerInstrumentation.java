package io.mcphub.telemetry.agent.mcpserver;

import io.mcphub.telemetry.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

/** MCP server side: clients' sessions and tool calls served by the hub. */
public final class McpServerInstrumentation implements InstrumentationModule {

    @Override
    public String name() {
        return "mcp-server";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        return builder;
    }
}
