package io.mcphub.telemetry.agent.instrumentation.mcpserver;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.InstrumentationModule;
import io.mcphub.telemetry.agent.instrumentation.common.Candidates;
import io.mcphub.telemetry.agent.instrumentation.common.SeesClass;
import io.mcphub.telemetry.agent.instrumentation.common.SuperTypes;
import io.mcphub.telemetry.agent.instrumentation.common.SyntheticMethodsToo;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * MCP server side (MCP Java SDK 1.x/2.x): sessions clients open on the hub, and the tools/call requests
 * they send, matched to the hub's JSON-RPC responses.
 *
 * <ul>
 * <li>{@code McpAsyncServer}: its serverInfo name, tied to the request-handler map its sessions share;</li>
 * <li>streamable HTTP: {@code McpStreamableServerSession.Factory.startSession} (opened),
 * {@code McpStreamableServerSessionStream.handle(JSONRPCRequest)} (request in), session
 * {@code delete/close/closeGracefully} (closed);</li>
 * <li>SSE / stdio: {@code McpServerSession.handle(JSONRPCMessage)} (initialize = opened, tools/call = request
 * in), {@code close/closeGracefully} (closed);</li>
 * <li>every {@code McpServerTransport.sendMessage}: the response going out;</li>
 * <li>methods taking {@code (JSONRPCRequest, Throwable)} in the session classes: where the SDK maps a handler's
 * exception to a JSON-RPC error, to keep the exception's class.</li>
 * </ul>
 */
public final class McpServerInstrumentation implements InstrumentationModule {

    private static final String SPEC = "io.modelcontextprotocol.spec.";
    private static final String ASYNC_SERVER = "io.modelcontextprotocol.server.McpAsyncServer";
    private static final String SESSION = SPEC + "McpServerSession";
    private static final String STREAMABLE_SESSION = SPEC + "McpStreamableServerSession";
    private static final String STREAM = STREAMABLE_SESSION + "$McpStreamableServerSessionStream";
    private static final String SESSION_FACTORY = STREAMABLE_SESSION + "$Factory";
    private static final String SERVER_TRANSPORT = SPEC + "McpServerTransport";
    private static final String JSONRPC_MESSAGE = SPEC + "McpSchema$JSONRPCMessage";
    private static final String JSONRPC_REQUEST = SPEC + "McpSchema$JSONRPCRequest";

    @Override
    public void reportCounters(McpHubTelemetry telemetry) {
        telemetry.reportCounter(McpServerHooks.CALLS.metric(), McpServerHooks.CALLS::evicted);
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        ElementMatcher.Junction<MethodDescription> handlerError = takesArguments(2)
                .and(takesArgument(0, named(JSONRPC_REQUEST))).and(takesArgument(1, named("java.lang.Throwable")));
        SeesClass sdk = SeesClass.anyOf(SESSION, STREAMABLE_SESSION);
        return builder
                .type(Candidates.named(sdk, ASYNC_SERVER))
                .transform(advice(on(ServerCreatedAdvice.class, isConstructor()),
                        on(HandlersPreparedAdvice.class, named("prepareRequestHandlers").and(takesArguments(0)))))
                .type(SuperTypes.hasSuperType(sdk, SESSION_FACTORY)).and(not(isInterface()))
                .transform(advice(on(StartSessionAdvice.class, named("startSession").and(takesArguments(1))
                        .and(not(isAbstract())))))
                .type(SuperTypes.hasSuperType(sdk, SESSION))
                .transform(advice(on(SessionMessageAdvice.class, named("handle").and(takesArguments(1))
                                .and(takesArgument(0, named(JSONRPC_MESSAGE)))),
                        on(SessionCloseAdvice.class, namedOneOf("close", "closeGracefully").and(takesArguments(0))),
                        on(HandlerErrorAdvice.class, handlerError)))
                .type(SuperTypes.hasSuperType(sdk, STREAMABLE_SESSION))
                .transform(advice(on(SessionCloseAdvice.class, namedOneOf("close", "closeGracefully", "delete")
                        .and(takesArguments(0)))))
                .type(Candidates.named(sdk, STREAM))
                .transform(advice(on(StreamRequestAdvice.class, named("handle").and(takesArguments(1))
                                .and(takesArgument(0, named(JSONRPC_REQUEST)))),
                        on(HandlerErrorAdvice.class, handlerError)))
                .type(SuperTypes.hasSuperType(sdk, SERVER_TRANSPORT)).and(not(isInterface()))
                .transform(advice(on(SendMessageAdvice.class, named("sendMessage").and(not(isAbstract()))
                        .and(takesArgument(0, named(JSONRPC_MESSAGE))))));
    }

    /** One advice class and the methods it goes on. */
    record AdviceOn(Class<?> advice, ElementMatcher<? super MethodDescription> methods) {
    }

    static AdviceOn on(Class<?> advice, ElementMatcher<? super MethodDescription> methods) {
        return new AdviceOn(advice, methods);
    }

    /**
     * All advice for one type in one transformer (each advice visits the methods it matches, lambda bodies
     * included: the SDK maps a handler's exception to a JSON-RPC error inside one).
     */
    static AgentBuilder.Transformer advice(AdviceOn... advices) {
        return (b, type, loader, module, pd) -> {
            for (AdviceOn a : advices) {
                b = b.visit(new SyntheticMethodsToo(Advice.to(a.advice()).on(a.methods())));
            }
            return b;
        };
    }

    static final class ServerCreatedAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object server) {
            McpServerHooks.serverCreated(server);
        }
    }

    static final class HandlersPreparedAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object server, @Advice.Return Object handlers) {
            McpServerHooks.handlersPrepared(server, handlers);
        }
    }

    static final class StartSessionAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object initializeRequest, @Advice.Return Object init) {
            McpServerHooks.streamableSessionStarted(initializeRequest, init);
        }
    }

    static final class SessionMessageAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object session, @Advice.Argument(0) Object message) {
            McpServerHooks.sessionMessage(session, message);
        }
    }

    static final class SessionCloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object session, @Advice.Origin("#m") String method) {
            McpServerHooks.sessionClosing(session, method);
        }
    }

    static final class StreamRequestAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object stream, @Advice.Argument(0) Object request) {
            McpServerHooks.streamRequest(stream, request);
        }
    }

    static final class HandlerErrorAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object request, @Advice.Argument(1) Throwable error) {
            McpServerHooks.handlerFailed(request, error);
        }
    }

    static final class SendMessageAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transport, @Advice.Argument(0) Object message) {
            McpServerHooks.messageSent(transport, message);
        }
    }
}
