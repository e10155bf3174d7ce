package io.mcphub.telemetry.agent;

import io.mcphub.telemetry.McpHubTelemetry;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/** One area the agent instruments (MCP client, MCP server, servlet API, ...). */
public interface InstrumentationModule {

    /** Runs once before {@link #extend}, e.g. to make helper classes visible to the bootstrap loader. */
    default void prepare(Instrumentation instrumentation) {
    }

    /** Registers the module's own counters (calls given up, ...) to be reported as agent metrics. */
    default void reportCounters(McpHubTelemetry telemetry) {
    }

    /** Adds this module's type matchers and advice to the builder. */
    AgentBuilder extend(AgentBuilder builder);
}
