package io.mcphub.telemetry.agent.bootstrap;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The one class advice inlined into {@code java.net.http} calls. Those JDK classes belong to the platform loader,
 * which cannot see the agent's classes (they live on the application class path), so the agent copies this class
 * into a small jar appended to the bootstrap search path at premain and plugs its hooks into the fields below.
 * <p>
 * Why a bridge: subclassing or wrapping {@code HttpClient} is impossible without changing the hub, and a hub's
 * OAuth code is arbitrary, so the HTTP client is the only place all token exchanges pass. The bridge only uses JDK
 * types, so nothing of the agent leaks into the bootstrap loader, and it lives in the project's own package,
 * which the shade plugin leaves alone (the same approach as OpenTelemetry's bootstrap module).
 * <p>
 * Every method is a no-op while its hook is unset and swallows anything the hook throws.
 */
public final class OAuthBridge {

    /** (request body, the BodyPublisher made of it): remembers the grant type of token-request forms. */
    public static volatile BiConsumer<String, Object> onBodyPublisher;
    /** HttpRequest -> context of a recognised token exchange, or null for any other request. */
    public static volatile Function<Object, Object> onSendStart;
    /** (context, the returned CompletableFuture or the Throwable sendAsync threw). */
    public static volatile BiConsumer<Object, Object> onSendEnd;

    private OAuthBridge() {
    }

    public static void bodyPublisherCreated(String body, Object publisher) {
        BiConsumer<String, Object> hook = onBodyPublisher;
        if (hook != null && body != null && publisher != null) {
            try {
                hook.accept(body, publisher);
            } catch (Throwable ignored) {
                // the hook reports its own failures; the HTTP client must never see one
            }
        }
    }

    public static Object sendStarted(Object request) {
        Function<Object, Object> hook = onSendStart;
        if (hook == null || request == null) {
            return null;
        }
        try {
            return hook.apply(request);
        } catch (Throwable ignored) {
            return null;
        }
    }

    public static void sendEnded(Object context, Object futureOrThrowable) {
        BiConsumer<Object, Object> hook = onSendEnd;
        if (hook != null && context != null) {
            try {
                hook.accept(context, futureOrThrowable);
            } catch (Throwable ignored) {
                // see above
            }
        }
    }
}
