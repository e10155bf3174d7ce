package io.mcphub.telemetry.agent.instrumentation.httpserver;

import com.sun.net.httpserver.HttpExchange;
import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.CallDepth;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Requests served by the JDK's {@code com.sun.net.httpserver.HttpServer}, seen in the hub's own handlers
 * (the JDK's dispatch code lives in a loader that cannot see the agent). Recorded when the outermost handler
 * on the thread returns; a handler that returns without having sent response headers (it handed the exchange
 * to another thread) is not recorded, as its status is not known yet.
 */
public final class JdkHttpServerHooks {

    private static final CallDepth DEPTH = new CallDepth();

    private JdkHttpServerHooks() {
    }

    public static long enter() {
        return DEPTH.enter() ? System.nanoTime() : ServletHooks.NESTED;
    }

    public static void exit(long startNanos, Object exchange, Throwable thrown) {
        DEPTH.exit();
        if (startNanos == ServletHooks.NESTED) {
            return;
        }
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null || !(exchange instanceof HttpExchange ex)) {
                return;
            }
            long latency = Math.max(0, System.nanoTime() - startNanos);
            InetSocketAddress local = ex.getLocalAddress();
            if (!HubAddressHooks.known() && local != null) {
                HubAddressHooks.learn(local.getHostString(), local.getPort());
            }
            int status = ex.getResponseCode();
            if (status < 0) {
                if (thrown == null) {
                    return;
                }
                status = 500; // the JDK server closes the exchange; the client sees no valid response
            }
            if (status < 100 || status > 999) {
                return;
            }
            String path = ex.getRequestURI() == null ? "/" : ex.getRequestURI().getPath();
            String context = ex.getHttpContext() == null ? "/" : ex.getHttpContext().getPath();
            String pattern = context.endsWith("/") ? context + "*" : context + "/*";
            t.logApiRequest(ex.getRequestMethod(), Routes.route(path, pattern, status), status,
                    Duration.ofNanos(latency), ServletHooks.headerLength(ex.getRequestHeaders().getFirst("Content-Length")),
                    ServletHooks.headerLength(ex.getResponseHeaders().getFirst("Content-Length")));
        } catch (Throwable e) {
            AgentErrors.report("http.jdk-server", e);
        }
    }
}
