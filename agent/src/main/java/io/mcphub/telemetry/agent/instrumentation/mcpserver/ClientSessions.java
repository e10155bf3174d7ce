package io.mcphub.telemetry.agent.instrumentation.mcpserver;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.model.Transport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions clients opened on the hub's MCP server: a {@code session.opened} event when one starts and a
 * {@code session.closed} event (with its lifetime) the first time it is closed, however it is closed
 * (client DELETE, idle sweep, server shutdown).
 */
final class ClientSessions {

    record Opened(String sessionId, Transport transport, String clientName, String clientVersion,
                  String protocolVersion, long openedNanos) {
    }

    /**
     * Open sessions are remembered to report each close once; sessions beyond this bound get no close
     * event (the SDK's idle sweep closes abandoned sessions, so the map drains on its own).
     */
    static final int MAX_OPEN = 10_000;
    private static final Map<String, Opened> OPEN = new ConcurrentHashMap<>();

    private ClientSessions() {
    }

    static void opened(McpHubTelemetry t, Opened s) {
        if (s.sessionId() == null) {
            return;
        }
        if (OPEN.size() < MAX_OPEN && OPEN.putIfAbsent(s.sessionId(), s) != null) {
            return; // already reported
        }
        t.logEvent("session.opened", null, payload(s));
    }

    static void closed(McpHubTelemetry t, String sessionId, String reason) {
        Opened s = sessionId == null ? null : OPEN.remove(sessionId);
        if (s == null) {
            return;
        }
        Map<String, Object> payload = payload(s);
        payload.put("reason", reason);
        payload.put("durationMs", (System.nanoTime() - s.openedNanos()) / 1_000_000);
        t.logEvent("session.closed", null, payload);
    }

    static boolean isOpen(String sessionId) {
        return sessionId != null && OPEN.containsKey(sessionId);
    }

    private static Map<String, Object> payload(Opened s) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sessionId", s.sessionId());
        p.put("transport", s.transport().sqlName());
        p.put("clientName", s.clientName());
        p.put("clientVersion", s.clientVersion());
        p.put("protocolVersion", s.protocolVersion());
        return p;
    }
}
