package io.mcphub.telemetry.agent;

import net.bytebuddy.agent.builder.AgentBuilder;

/** One area the agent instruments (MCP client, MCP server, servlet API, ...). */
public interface InstrumentationModule {

    String name();

    /** Adds this module's type matchers and advice to the builder. */
    AgentBuilder extend(AgentBuilder builder);
}
