package io.mcphub.telemetry.agent;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.SuperTypes;
import io.mcphub.telemetry.agent.instrumentation.oauth.OAuthInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
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

    /** The agent's own packages and Byte Buddy's, and the JDK's: see {@link #ignoredTypes()}. */
    private static final String[] OURS = {"io.mcphub.telemetry.", "net.bytebuddy."};
    private static final String[] JDK = {"java.", "javax.management.", "jdk.", "sun.", "com.sun.", "javax.crypto."};
    private static final String[] OURS_INTERNAL = InternalNames.of(OURS);
    private static final String[] JDK_INTERNAL = InternalNames.of(JDK);
    private static final Set<String> JDK_TARGETS_INTERNAL = Set.of(InternalNames.of(OAuthInstrumentation.JDK_TARGETS));

    private final AgentBuilder rules;

    private Instrumentations(AgentBuilder rules) {
        this.rules = rules;
    }

    /**
     * Prepares every module and makes the agent builder with their rules; once this returns, the rules'
     * conditions are known ({@code Candidates}), so the start-up gate can tell which classes may be advised.
     */
    static Instrumentations prepare(Instrumentation inst) {
        for (InstrumentationModule module : MODULES) {
            module.prepare(inst);
        }
        return new Instrumentations(rules());
    }

    /** Installs the prepared rules (Byte Buddy's transformer, and its pass over the classes already loaded). */
    int install(Instrumentation inst, McpHubTelemetry telemetry) {
        for (InstrumentationModule module : MODULES) {
            module.reportCounters(telemetry);
        }
        rules.installOn(inst);
        return MODULES.size();
    }

    /**
     * The agent builder with every module's rules, once the modules are prepared. Types are decorated, not
     * redefined: every rule only adds advice through ASM visitors, and redefining made Byte Buddy build each
     * rewritten class's method graph, parsing it and all its super types in full through the type pool (a
     * Spring Boot start took 0.95 x as long decorated, head to head, 10 pairs).
     */
    static AgentBuilder rules() {
        AgentBuilder builder = withoutNexus()
                .disableClassFormatChanges()
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new CachingTypePools())
                .with(new ErrorListener())
                .ignore(new AgentBuilder.RawMatcher.ForElementMatchers(ignoredTypes()))
                .or(SuperTypes.synthetic());
        for (InstrumentationModule module : MODULES) {
            builder = module.extend(builder);
        }
        return builder;
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
        ElementMatcher.Junction<TypeDescription> jdk = none();
        for (String prefix : JDK) {
            jdk = jdk.or(nameStartsWith(prefix));
        }
        ElementMatcher.Junction<TypeDescription> ignored = jdk.and(not(namedOneOf(OAuthInstrumentation.JDK_TARGETS)));
        for (String prefix : OURS) {
            ignored = ignored.or(nameStartsWith(prefix));
        }
        return ignored;
    }

    /** {@link #ignoredTypes()} by internal name (a/b/C), for the start-up gate, which sees class files only. */
    static boolean ignored(String internalName) {
        return InternalNames.startsWithAny(internalName, OURS_INTERNAL)
                || InternalNames.startsWithAny(internalName, JDK_INTERNAL) && !JDK_TARGETS_INTERNAL.contains(internalName);
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
