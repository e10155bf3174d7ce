package io.mcphub.telemetry.agent.instrumentation.httpserver;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.ServletApi;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The hub's listening address, reported once: when the first Jetty {@code ServerConnector} opens or Tomcat
 * {@code Connector} starts, otherwise from the local address of the first request served (the only way to
 * learn a JDK HttpServer's port without instrumenting JDK classes).
 */
public final class HubAddressHooks {

    private static final AtomicBoolean KNOWN = new AtomicBoolean();

    private HubAddressHooks() {
    }

    /** Jetty ServerConnector.open() / Tomcat Connector.startInternal() exit. */
    public static void connectorStarted(Object connector) {
        try {
            if (KNOWN.get()) {
                return;
            }
            Object port = ServletApi.GET_LOCAL_PORT.get(connector);
            Object host = ServletApi.CONNECTOR_HOST.get(connector);
            learn(host == null ? null : host.toString(), port instanceof Number n ? n.intValue() : -1);
        } catch (Throwable t) {
            AgentErrors.report("http.connector", t);
        }
    }

    static void fromRequest(Object request) {
        if (KNOWN.get()) {
            return;
        }
        Object port = ServletApi.GET_LOCAL_PORT.get(request);
        learn(ServletApi.GET_LOCAL_ADDR.text(request), port instanceof Number n ? n.intValue() : -1);
    }

    static boolean known() {
        return KNOWN.get();
    }

    static void learn(String host, int port) {
        if (port <= 0) {
            return;
        }
        McpHubTelemetry t = AgentTelemetry.get();
        if (t == null || !KNOWN.compareAndSet(false, true)) {
            return;
        }
        t.updateHubAddress(isWildcard(host) ? null : host, port);
    }

    private static boolean isWildcard(String host) {
        return host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")
                || host.equals("0:0:0:0:0:0:0:0");
    }
}
