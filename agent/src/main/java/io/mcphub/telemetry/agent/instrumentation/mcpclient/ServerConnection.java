package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.ServerRegistration;
import io.mcphub.telemetry.model.ServerStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One client transport, i.e. one downstream server connection, as the agent tracks it. It is named when
 * initialize is sent if the name is known then ({@link ServerNaming}), else when the server's answer or
 * the failure to connect arrives; what happens before that waits (bounded) for the name. It never
 * references the transport itself, so the transport stays collectable.
 */
final class ServerConnection {

    private static final int MAX_WAITING = 256;
    private static final int MAX_PAGE_CHAINS = 16;
    static final int MAX_LISTED_ITEMS = 50_000;

    final TransportEndpoint endpoint;
    private volatile long requestTimeoutNanos;
    private volatile String name;
    private List<Consumer<String>> waiting = new ArrayList<>();
    private ServerRegistration registration;
    private boolean closing;
    private volatile Object watchedProcess;
    /** Set when a transport failure (not the hub) ended the connection; a later response means it recovered. */
    private volatile boolean lostByFailure;
    private final Map<String, List<Object>> pageChains = new HashMap<>();

    ServerConnection(TransportEndpoint endpoint, long defaultTimeoutNanos) {
        this.endpoint = endpoint;
        this.requestTimeoutNanos = defaultTimeoutNanos;
    }

    long requestTimeoutNanos() {
        return requestTimeoutNanos;
    }

    void requestTimeoutNanos(long nanos) {
        if (nanos > 0) {
            requestTimeoutNanos = nanos;
        }
    }

    String name() {
        return name;
    }

    /** Runs {@code action} with the server's name now, or once it is known (dropped beyond a bound). */
    void whenNamed(Consumer<String> action) {
        String n = name;
        if (n == null) {
            synchronized (this) {
                n = name;
                if (n == null) {
                    if (waiting.size() < MAX_WAITING) {
                        waiting.add(action);
                    }
                    return;
                }
            }
        }
        action.accept(n);
    }

    /** The name is known before the server answers (the hub's own name for it). */
    void named(String serverName) {
        List<Consumer<String>> release;
        synchronized (this) {
            if (name != null) {
                return;
            }
            release = nameKnown(serverName);
        }
        release.forEach(action -> action.accept(serverName));
    }

    /** The initialize result arrived: record the server as connected and release what waited for its name. */
    void connected(McpHubTelemetry t, String serverName, String version, String protocolVersion, Object capabilities) {
        List<Consumer<String>> release;
        synchronized (this) {
            registration = new ServerRegistration(serverName, endpoint.transport(), endpoint.endpoint(),
                    ServerStatus.CONNECTED, version, protocolVersion, capabilities, null);
            t.registerServer(registration);
            closing = false;
            lostByFailure = false;
            release = nameKnown(serverName);
        }
        release.forEach(action -> action.accept(serverName));
    }

    /**
     * Connecting failed before initialize was answered (process gone, connection refused, initialize
     * refused or unanswered): the server is recorded as failed with the error, once per connection; a
     * connection that had connected counts as lost instead.
     */
    void failedToConnect(McpHubTelemetry t, String serverName, String error) {
        List<Consumer<String>> release;
        synchronized (this) {
            if (registration != null && registration.status() == ServerStatus.CONNECTED) {
                lost(t, error);
                return;
            }
            if (registration != null && registration.status() == ServerStatus.FAILED) {
                return;
            }
            registration = new ServerRegistration(serverName, endpoint.transport(), endpoint.endpoint(),
                    ServerStatus.FAILED, null, null, null, error);
            t.registerServer(registration);
            release = nameKnown(serverName);
        }
        release.forEach(action -> action.accept(serverName));
    }

    /** Under the lock: the name is set; returns what waited for it, to run outside the lock. */
    private List<Consumer<String>> nameKnown(String serverName) {
        name = serverName;
        List<Consumer<String>> release = waiting;
        waiting = new ArrayList<>();
        return release;
    }

    /** The hub closes the connection. True when this is news (the first close). */
    boolean closedByHub(McpHubTelemetry t) {
        synchronized (this) {
            if (closing) {
                return false;
            }
            closing = true;
            if (registration == null || registration.status() != ServerStatus.FAILED) {
                change(t, ServerStatus.DISCONNECTED, null); // a server that never connected stays failed
            }
            return true;
        }
    }

    /** The transport failed (process exit, connection refused...). True when the server counted as connected. */
    boolean lost(McpHubTelemetry t, String error) {
        synchronized (this) {
            if (closing || registration == null || registration.status() != ServerStatus.CONNECTED) {
                return false;
            }
            lostByFailure = true;
            return change(t, ServerStatus.DISCONNECTED, error);
        }
    }

    /** A response arrived after a transport failure that was not final (an HTTP server back up). */
    void responded(McpHubTelemetry t) {
        if (!lostByFailure) {
            return;
        }
        synchronized (this) {
            if (lostByFailure && !closing) {
                lostByFailure = false;
                change(t, ServerStatus.CONNECTED, null);
            }
        }
    }

    private boolean change(McpHubTelemetry t, ServerStatus status, String error) {
        ServerRegistration r = registration;
        if (r == null || r.status() == status) {
            return false;
        }
        registration = new ServerRegistration(r.name(), r.transport(), r.endpoint(), status, r.serverVersion(),
                r.protocolVersion(), r.capabilities(), error);
        t.registerServer(registration);
        return true;
    }

    /** True once per process object: the caller watches that server process for its exit. */
    boolean watchProcess(Object process) {
        if (process == null || watchedProcess == process) {
            return false;
        }
        synchronized (this) {
            if (watchedProcess == process) {
                return false;
            }
            watchedProcess = process;
            return true;
        }
    }

    synchronized boolean isClosing() {
        return closing;
    }

    /** The items listed so far in a paged list call that continues with {@code cursor}; removed. */
    synchronized List<Object> takePages(String method, String cursor) {
        return pageChains.remove(method + '\u0000' + cursor);
    }

    synchronized void keepPages(String method, String nextCursor, List<Object> items) {
        if (pageChains.size() >= MAX_PAGE_CHAINS) {
            pageChains.clear();
        }
        pageChains.put(method + '\u0000' + nextCursor, items);
    }
}
