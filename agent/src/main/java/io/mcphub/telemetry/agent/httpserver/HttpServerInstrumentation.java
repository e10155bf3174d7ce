package io.mcphub.telemetry.agent.httpserver;

import io.mcphub.telemetry.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

/** HTTP requests served by the hub (servlet containers, JDK HttpServer). */
public final class HttpServerInstrumentation implements InstrumentationModule {

    @Override
    public String name() {
        return "http-server";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        return builder;
    }
}
