package io.mcphub.telemetry.agent.instrumentation.oauth;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mcphub.telemetry.agent.InstrumentationModule;
import io.mcphub.telemetry.agent.instrumentation.common.Candidates;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth exchanges the hub performs for servers that need OAuth: token requests (client_credentials,
 * authorization_code, refresh_token) at the {@code java.net.http.HttpClient} level, and the authorization start
 * redirect and callback the hub serves. Records flow id, server, grant type, phase, outcome and duration; never
 * tokens, codes, secrets, state values or headers.
 */
public final class OAuthInstrumentation implements InstrumentationModule {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthInstrumentation.class);

    private volatile boolean bridged;

    @Override
    public void prepare(Instrumentation instrumentation) {
        try {
            TokenExchangeHooks.plugInto(BootstrapBridge.install(instrumentation));
            bridged = true;
        } catch (Throwable t) {
            LOG.warn("OAuth token exchanges will not be recorded: the bootstrap bridge could not be installed: {}",
                    t.toString());
        }
    }

    /** The JDK classes this module instruments: the only ones of the JDK the agent looks at. */
    public static final String[] JDK_TARGETS = {"java.net.http.HttpRequest$BodyPublishers", "jdk.internal.net.http.HttpClientImpl"};

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        AgentBuilder result = builder
                .type(Candidates.named(any(), "jakarta.servlet.http.HttpServlet", "javax.servlet.http.HttpServlet"))
                .transform((b, type, loader, module, pd) -> b.visit(Advice.to(OAuthAdvice.ServletService.class)
                        .on(named("service").and(isPublic()).and(takesArguments(2))
                                .and(takesArgument(0, named("jakarta.servlet.ServletRequest"))
                                        .or(takesArgument(0, named("javax.servlet.ServletRequest")))))));
        if (!bridged) {
            return result;
        }
        return result
                .type(Candidates.named(any(), JDK_TARGETS[0]))
                .transform((b, type, loader, module, pd) -> b.visit(Advice.to(OAuthAdvice.BodyPublisherOfString.class)
                        .on(named("ofString").and(isStatic()).and(takesArgument(0, String.class)))))
                .type(Candidates.named(any(), JDK_TARGETS[1]))
                .transform((b, type, loader, module, pd) -> b.visit(Advice.to(OAuthAdvice.HttpClientSend.class)
                        .on(named("sendAsync").and(takesArguments(4))
                                .and(takesArgument(0, named("java.net.http.HttpRequest")))
                                .and(returns(named("java.util.concurrent.CompletableFuture"))))));
    }
}
