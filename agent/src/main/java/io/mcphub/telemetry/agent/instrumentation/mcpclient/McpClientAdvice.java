package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Advice inlined into the SDK's client classes; each delegates in one line to the hook of its concern. */
public final class McpClientAdvice {

    private McpClientAdvice() {
    }

    /** {@code McpClientTransport.sendMessage(JSONRPCMessage)}: a request is sent as a copy carrying its trace context. */
    public static final class Send {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transport,
                          @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object message) {
            message = McpClientRequests.onSend(transport, message);
        }
    }

    /** {@code McpClientTransport.closeGracefully()} / {@code close()}. */
    public static final class TransportClose {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transport) {
            McpClientLifecycle.onTransportClose(transport);
        }
    }

    /** {@code McpClientSession(...)} constructors. */
    public static final class SessionCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object session) {
            McpClientLifecycle.onSessionCreated(session);
        }
    }

    /** {@code McpClientSession.handle(JSONRPCMessage)}: every message from the server. */
    public static final class Incoming {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object session, @Advice.Argument(0) Object message) {
            McpClientResponses.onIncoming(session, message);
        }
    }

    /** The error callback of {@code McpClientSession.sendRequest}: {@code (requestId, sink, error)}. */
    public static final class SendFailed {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object session, @Advice.Argument(0) Object requestId,
                          @Advice.Argument(2) Throwable error) {
            McpClientLifecycle.onSendFailed(session, requestId, error);
        }
    }

    /** {@code McpClientSession.dismissPendingResponses()}: the session is closing. */
    public static final class Dismiss {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object session) {
            McpClientLifecycle.onSessionDismiss(session);
        }
    }
}
