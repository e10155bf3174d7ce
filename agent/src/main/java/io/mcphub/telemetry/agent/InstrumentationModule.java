package io.mcphub.telemetry.agent;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/** One area the agent instruments (MCP client, MCP server, servlet API, ...). */
public interface InstrumentationModule {

    String name();

    /** Runs once before {@link #extend}, e.g. to make helper classes visible to the bootstrap loader. */
    default void prepare(Instrumentation instrumentation) {
    }

    /** Adds this module's type matchers and advice to the builder. */
    AgentBuilder extend(AgentBuilder builder);
}
