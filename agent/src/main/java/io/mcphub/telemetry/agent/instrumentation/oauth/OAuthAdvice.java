package io.mcphub.telemetry.agent.instrumentation.oauth;

import io.mcphub.telemetry.agent.bootstrap.OAuthBridge;
import net.bytebuddy.asm.Advice;

/**
 * Advice of the OAuth module. The two JDK advices are inlined into {@code java.net.http} classes and may only
 * call {@link OAuthBridge}; the servlet advice is inlined into the application's servlet API and calls the hooks.
 */
final class OAuthAdvice {

    private OAuthAdvice() {
    }

    /** {@code HttpRequest.BodyPublishers.ofString(String[, Charset])}. */
    static final class BodyPublisherOfString {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) String body, @Advice.Return Object publisher) {
            OAuthBridge.bodyPublisherCreated(body, publisher);
        }
    }

    /** {@code jdk.internal.net.http.HttpClientImpl.sendAsync(request, handler, pushHandler, executor)}: every send. */
    static final class HttpClientSend {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object request) {
            return OAuthBridge.sendStarted(request);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object context, @Advice.Return Object future, @Advice.Thrown Throwable thrown) {
            if (context != null) {
                OAuthBridge.sendEnded(context, thrown != null ? thrown : future);
            }
        }
    }

    /** {@code HttpServlet.service(ServletRequest, ServletResponse)} (jakarta and javax). */
    static final class ServletService {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object request) {
            return OAuthCallbackHooks.enter(request);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object context, @Advice.Argument(1) Object response,
                         @Advice.Thrown Throwable thrown) {
            if (context != null) {
                OAuthCallbackHooks.exit(context, response, thrown);
            }
        }
    }
}
