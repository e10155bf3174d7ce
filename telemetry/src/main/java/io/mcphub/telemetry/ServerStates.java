package io.mcphub.telemetry;

import io.mcphub.telemetry.model.ServerStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The last registration of every server, so a status change keeps its transport and endpoint. */
final class ServerStates {

    private final Map<String, ServerRegistration> byName = new ConcurrentHashMap<>();

    void remember(ServerRegistration server) {
        byName.put(server.name(), server);
    }

    ServerRegistration get(String name) {
        return byName.get(name);
    }

    /** Servers a stopping hub still counts as connected or connecting. */
    List<ServerRegistration> stillConnected() {
        return byName.values().stream().filter(s -> s.status() == null || s.status() == ServerStatus.CONNECTED
                || s.status() == ServerStatus.CONNECTING).toList();
    }
}
