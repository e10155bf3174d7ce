package io.mcphub.telemetry.agent.instrumentation.mcpserver;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.McpSdk;
import java.lang.ref.WeakReference;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The name (from serverInfo) of the hub's own MCP server a session belongs to. An SDK server hands the
 * same request-handler map to every session it creates, so that map's identity links a session to its
 * server; when a JVM runs a single MCP server (the usual hub) its name is used whatever the SDK shape.
 */
final class HubServerNames {

    private record Entry(WeakReference<Object> handlers, String name) {
    }

    /** A JVM runs a handful of MCP servers at most; older entries are dropped beyond this. */
    private static final int MAX_SERVERS = 32;
    private static final CopyOnWriteArrayList<Entry> SERVERS = new CopyOnWriteArrayList<>();
    private static volatile String lastServerName;

    private HubServerNames() {
    }

    static void serverCreated(Object asyncServer) {
        String name = serverName(asyncServer);
        if (name != null) {
            lastServerName = name;
        }
    }

    static void handlersPrepared(Object asyncServer, Object requestHandlers) {
        String name = serverName(asyncServer);
        if (name == null || requestHandlers == null) {
            return;
        }
        lastServerName = name;
        SERVERS.removeIf(e -> e.handlers().get() == null);
        while (SERVERS.size() >= MAX_SERVERS) {
            SERVERS.remove(0);
        }
        SERVERS.add(new Entry(new WeakReference<>(requestHandlers), name));
    }

    /** The server name for a session (McpServerSession or McpStreamableServerSession). */
    static String forSession(Object session, McpHubTelemetry telemetry) {
        Object handlers = McpSdk.SERVER_REQUEST_HANDLERS.get(session);
        if (handlers != null) {
            for (Entry e : SERVERS) {
                if (e.handlers().get() == handlers) {
                    return e.name();
                }
            }
        }
        String last = lastServerName;
        return last != null ? last : telemetry.config().hubName();
    }

    private static String serverName(Object asyncServer) {
        Object info = McpSdk.SERVER_INFO_OF_SERVER.get(asyncServer);
        String name = McpSdk.NAME.text(info);
        return name == null || name.isBlank() ? null : name;
    }
}
