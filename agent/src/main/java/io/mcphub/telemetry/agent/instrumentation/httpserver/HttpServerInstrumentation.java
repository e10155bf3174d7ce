package io.mcphub.telemetry.agent.instrumentation.httpserver;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isExtensionClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mcphub.telemetry.agent.InstrumentationModule;
import io.mcphub.telemetry.agent.instrumentation.common.Candidates;
import io.mcphub.telemetry.agent.instrumentation.common.SeesClass;
import io.mcphub.telemetry.agent.instrumentation.common.SuperTypes;
import io.mcphub.telemetry.agent.instrumentation.common.SyntheticMethodsToo;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * HTTP requests served by the hub, recorded as api_requests rows (see {@link Routes} for the route rule):
 * <ul>
 * <li>servlet containers: {@code HttpServlet.service(...)} and {@code Filter.doFilter(...)} implementations,
 * jakarta and javax ({@link ServletHooks});</li>
 * <li>the JDK HttpServer: the hub's {@code HttpHandler.handle(HttpExchange)} implementations and lambdas
 * ({@link JdkHttpServerHooks});</li>
 * <li>the listening port: Jetty {@code ServerConnector.open()}, Tomcat {@code Connector.startInternal()}
 * ({@link HubAddressHooks}).</li>
 * </ul>
 * Classes of the bootstrap and platform loaders are left alone: they cannot see the hooks.
 */
public final class HttpServerInstrumentation implements InstrumentationModule {

    private static final String HTTP_EXCHANGE = "com.sun.net.httpserver.HttpExchange";
    private static final String HTTP_HANDLER = "com.sun.net.httpserver.HttpHandler";
    private static final String JETTY_CONNECTOR = "org.eclipse.jetty.server.ServerConnector";

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        ElementMatcher.Junction<ClassLoader> appLoaders = not(isBootstrapClassLoader()).and(not(isExtensionClassLoader()));
        SeesClass servlets = SeesClass.anyOf("jakarta.servlet.http.HttpServlet", "javax.servlet.http.HttpServlet");
        SeesClass filters = SeesClass.anyOf("jakarta.servlet.Filter", "javax.servlet.Filter");
        ElementMatcher.Junction<MethodDescription> exchangeLambda = nameStartsWith("lambda$").and(takesArguments(1))
                .and(takesArgument(0, named(HTTP_EXCHANGE))).and(returns(void.class));
        ElementMatcher.Junction<MethodDescription> service = named("service").and(takesArguments(2)).and(not(isAbstract()))
                .and(takesArgument(0, namedOneOf("jakarta.servlet.http.HttpServletRequest", "jakarta.servlet.ServletRequest",
                        "javax.servlet.http.HttpServletRequest", "javax.servlet.ServletRequest")));
        ElementMatcher.Junction<MethodDescription> doFilter = named("doFilter").and(takesArguments(3)).and(not(isAbstract()))
                .and(takesArgument(0, namedOneOf("jakarta.servlet.ServletRequest", "javax.servlet.ServletRequest")));
        // Only the classes that declare the advised method are rewritten: a Spring application loads a dozen
        // servlet and filter subclasses that inherit service/doFilter (OrderedCharacterEncodingFilter, ...), and
        // rewriting a class with nothing to advise costs its whole parse and write at start-up.
        return builder
                .type(SuperTypes.hasSuperType(servlets, "jakarta.servlet.http.HttpServlet", "javax.servlet.http.HttpServlet"))
                .and(declaresMethod(service))
                .transform(advice(ServletAdvice.class, service))
                .type(SuperTypes.hasSuperType(filters, "jakarta.servlet.Filter", "javax.servlet.Filter")).and(not(isInterface()))
                .and(declaresMethod(doFilter))
                .transform(advice(ServletAdvice.class, doFilter))
                .type(handlerOrLambdaHolder(appLoaders, exchangeLambda))
                .transform(advice(ExchangeAdvice.class, named("handle").and(takesArguments(1)).and(not(isAbstract()))
                        .and(takesArgument(0, named(HTTP_EXCHANGE))).or(exchangeLambda)))
                .type(SuperTypes.hasSuperType(SeesClass.anyOf(JETTY_CONNECTOR), JETTY_CONNECTOR))
                .transform(advice(ConnectorAdvice.class, named("open").and(takesArguments(0))))
                .type(Candidates.named(appLoaders, "org.apache.catalina.connector.Connector"))
                .transform(advice(ConnectorAdvice.class, named("startInternal").and(takesArguments(0))));
    }

    /**
     * A handler class, or a class declaring a lambda that takes an HttpExchange: only a class whose class file
     * names HttpExchange can declare one, so the methods of the others are never read.
     */
    private static AgentBuilder.RawMatcher handlerOrLambdaHolder(ElementMatcher<ClassLoader> loaders,
                                                                 ElementMatcher<MethodDescription> exchangeLambda) {
        AgentBuilder.RawMatcher handler = SuperTypes.hasSuperType(loaders, HTTP_HANDLER);
        AgentBuilder.RawMatcher namesExchange = SuperTypes.mentions(loaders, HTTP_EXCHANGE);
        ElementMatcher<TypeDescription> declaresLambda = declaresMethod(exchangeLambda);
        return (type, loader, module, redefined, domain) ->
                handler.matches(type, loader, module, redefined, domain) && !type.isInterface()
                        || namesExchange.matches(type, loader, module, redefined, domain) && declaresLambda.matches(type);
    }

    private static AgentBuilder.Transformer advice(Class<?> adviceClass, ElementMatcher<? super MethodDescription> on) {
        return (b, type, loader, module, pd) -> b.visit(new SyntheticMethodsToo(Advice.to(adviceClass).on(on)));
    }

    static final class ServletAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return ServletHooks.enter();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter long start, @Advice.Argument(0) Object request,
                         @Advice.Argument(1) Object response, @Advice.Thrown Throwable thrown) {
            ServletHooks.exit(start, request, response, thrown);
        }
    }

    static final class ExchangeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return JdkHttpServerHooks.enter();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter long start, @Advice.Argument(0) Object exchange, @Advice.Thrown Throwable thrown) {
            JdkHttpServerHooks.exit(start, exchange, thrown);
        }
    }

    static final class ConnectorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object connector) {
            HubAddressHooks.connectorStarted(connector);
        }
    }
}
