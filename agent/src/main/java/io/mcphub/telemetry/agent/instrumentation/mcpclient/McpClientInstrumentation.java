package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
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

/**
 * MCP client side: the hub's connections to downstream MCP servers. Hooks the SDK at the JSON-RPC
 * message level (transport {@code sendMessage}, session {@code handle}), which covers sync and async
 * clients and every transport alike.
 */
public final class McpClientInstrumentation implements InstrumentationModule {

    static final String CLIENT_TRANSPORT = "io.modelcontextprotocol.spec.McpClientTransport";
    static final String CLIENT_SESSION = "io.modelcontextprotocol.spec.McpClientSession";

    @Override
    public void reportCounters(McpHubTelemetry telemetry) {
        telemetry.reportCounter(McpClientSingletons.CALLS.metric(), McpClientSingletons.CALLS::evicted);
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        return builder
                .type(SuperTypes.hasSuperType(SeesClass.anyOf(CLIENT_TRANSPORT), CLIENT_TRANSPORT)).and(not(isInterface()))
                .transform((b, type, loader, module, pd) -> b
                        .visit(Advice.to(McpClientAdvice.Send.class).on(named("sendMessage")
                                .and(takesArguments(1)).and(not(isAbstract())).and(not(isStatic()))))
                        .visit(Advice.to(McpClientAdvice.TransportClose.class).on(namedOneOf("closeGracefully", "close")
                                .and(takesArguments(0)).and(not(isAbstract())).and(not(isStatic())))))
                .type(Candidates.named(SeesClass.anyOf(CLIENT_TRANSPORT), CLIENT_SESSION))
                .transform((b, type, loader, module, pd) -> b
                        .visit(Advice.to(McpClientAdvice.SessionCreated.class).on(isConstructor()))
                        .visit(Advice.to(McpClientAdvice.Incoming.class).on(named("handle").and(takesArguments(1))))
                        .visit(new SyntheticMethodsToo(Advice.to(McpClientAdvice.SendFailed.class)
                                .on(nameStartsWith("lambda$sendRequest$").and(not(isStatic())).and(takesArguments(3))
                                        .and(takesArgument(0, String.class)).and(takesArgument(2, Throwable.class)))))
                        .visit(Advice.to(McpClientAdvice.Dismiss.class).on(named("dismissPendingResponses")
                                .and(takesArguments(0)))));
    }
}
