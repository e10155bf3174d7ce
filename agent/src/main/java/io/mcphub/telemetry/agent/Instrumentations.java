package io.mcphub.telemetry.agent;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.SuperTypes;
import io.mcphub.telemetry.agent.instrumentation.oauth.OAuthInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.matcher.ElementMatcher;
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
        AgentBuilder builder = withoutNexus()
                .disableClassFormatChanges()
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                .with(new CachingTypePools())
                .with(new ErrorListener())
                .ignore(new AgentBuilder.RawMatcher.ForElementMatchers(ignoredTypes()))
                .or(SuperTypes.synthetic());
        for (InstrumentationModule module : MODULES) {
            module.prepare(inst);
            module.reportCounters(telemetry);
            builder = module.extend(builder);
        }
        builder.installOn(inst);
        return MODULES.size();
    }

    /**
     * A builder whose making does not inject Byte Buddy's {@code Nexus} into the system class loader. The
     * default initialization strategy prepares that injection in the builder's constructor, and preparing
     * it generates and defines a class at run time: ~0.35 s of a Spring Boot application's start, beside
     * it. The Nexus only hands live initializers to generated classes; inlined advice has none, so the
     * strategy is {@code NoOp} and the Nexus is switched off while the builder is made. The property is our
     * shaded copy's ({@link Nexus#PROPERTY} is relocated with it), so the hub's own Byte Buddy never sees it.
     */
    private static AgentBuilder withoutNexus() {
        String before = System.getProperty(Nexus.PROPERTY);
        System.setProperty(Nexus.PROPERTY, "true");
        try {
            return new AgentBuilder.Default();
        } finally {
            if (before == null) {
                System.clearProperty(Nexus.PROPERTY);
            } else {
                System.setProperty(Nexus.PROPERTY, before);
            }
        }
    }

    /**
     * Types never looked at, by name alone (no class file is read for them): the agent's own, Byte Buddy's,
     * and the JDK's but for the two OAuth targets, as the OpenTelemetry agent ignores the JDK. With
     * retransformation, every class already loaded at start (hundreds of the JDK's) goes through this,
     * and so does every class the hub loads; the modules' type matchers, which walk super types, then
     * never run on them. Synthetic classes are ignored too, by their class file's header
     * ({@link SuperTypes#synthetic()}): asking a type description would parse every class in full.
     */
    static ElementMatcher.Junction<TypeDescription> ignoredTypes() {
        ElementMatcher.Junction<TypeDescription> jdk = nameStartsWith("java.").or(nameStartsWith("javax.management."))
                .or(nameStartsWith("jdk.")).or(nameStartsWith("sun.")).or(nameStartsWith("com.sun.")).or(nameStartsWith("javax.crypto."));
        return nameStartsWith("io.mcphub.telemetry.").or(nameStartsWith("net.bytebuddy."))
                .or(jdk.and(not(namedOneOf(OAuthInstrumentation.JDK_TARGETS))));
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
