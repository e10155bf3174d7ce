package io.mcphub.telemetry.agent.oauth;

import io.mcphub.telemetry.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

/** OAuth exchanges the hub performs for servers that need OAuth. */
public final class OAuthInstrumentation implements InstrumentationModule {

    @Override
    public String name() {
        return "oauth";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        return builder;
    }
}
