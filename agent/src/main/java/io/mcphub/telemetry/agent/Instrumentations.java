package io.mcphub.telemetry.agent;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.mcphub.telemetry.McpHubTelemetry;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Installs every instrumentation module with one Byte Buddy agent builder. */
final class Instrumentations {

    private static final Logger LOG = LoggerFactory.getLogger(Instrumentations.class);

    static final List<InstrumentationModule> MODULES = List.of(
            new io.mcphub.telemetry.agent.instrumentation.mcpclient.McpClientInstrumentation(),
            new io.mcphub.telemetry.agent.instrumentation.mcpserver.McpServerInstrumentation(),
            new io.mcphub.telemetry.agent.instrumentation.httpserver.HttpServerInstrumentation(),
            new io.mcphub.telemetry.agent.instrumentation.oauth.OAuthInstrumentation());

    private Instrumentations() {
    }

    static int install(Instrumentation inst, boolean attachedLate, McpHubTelemetry telemetry) {
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                .with(new ErrorListener())
                .ignore(nameStartsWith("io.mcphub.telemetry.").or(nameStartsWith("net.bytebuddy."))
                        .or(nameStartsWith("jdk.internal.reflect.")).or(nameStartsWith("sun.reflect."))
                        .or(isSynthetic()));
        for (InstrumentationModule module : MODULES) {
            module.prepare(inst);
            module.reportCounters(telemetry);
            builder = module.extend(builder);
        }
        builder.installOn(inst);
        return MODULES.size();
    }

    /** A class the agent could not transform stays as it was; say so once per class, at debug level. */
    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
            LOG.debug("could not instrument {}: {}", typeName, throwable.toString());
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            LOG.debug("instrumented {}", type.getName());
        }
    }
}
