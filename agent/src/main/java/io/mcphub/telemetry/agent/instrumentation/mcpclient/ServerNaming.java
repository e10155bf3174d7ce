package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import io.mcphub.telemetry.config.ServerNameRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server is called, in this order: the operator's {@code serverNames} rule matching its endpoint,
 * else the hub's own connection name (Spring AI's, from the clientInfo the hub sends), else the
 * {@code serverInfo.name} it reports, else (a connect that failed before initialize answered) a name
 * from its endpoint. The first two are known when initialize is sent, so everything of the connection,
 * a failure included, carries them. Names are unique per endpoint in this JVM: a second endpoint given a
 * name already taken gets {@code name#2}, and so on, and the same endpoint keeps its name across
 * reconnects. An endpoint named by its failure keeps that name when it connects later, so that its
 * failed row is the one that becomes connected rather than one left failed beside it.
 */
final class ServerNaming {

    private static final int MAX_ENDPOINTS_PER_NAME = 1_000;
    private static final int MAX_REMEMBERED = 10_000;

    private final Map<String, List<String>> endpointsByName = new HashMap<>();
    /** Endpoints named by a failure. */
    private final Map<String, String> nameByEndpoint = new HashMap<>();

    /** The name known before the server answers, else null (it is then named by its answer or its failure). */
    synchronized String beforeInitialize(TransportEndpoint endpoint, ServerNameRules rules, String clientName,
                                         String clientTitle) {
        String remembered = nameByEndpoint.get(key(endpoint));
        if (remembered != null) {
            return remembered;
        }
        String hubs = rules.nameOf(endpoint.endpoint());
        if (hubs == null) {
            hubs = SpringAiConnectionName.of(clientName, clientTitle);
        }
        return hubs == null ? null : assign(hubs, endpoint);
    }

    /** The name of a server that answered initialize with {@code serverInfo.name}. */
    synchronized String fromServerInfo(TransportEndpoint endpoint, String reportedName) {
        String remembered = nameByEndpoint.get(key(endpoint));
        if (remembered != null) {
            return remembered;
        }
        return assign(reportedName == null || reportedName.isBlank() ? endpoint.transport().sqlName() + "-server"
                : reportedName, endpoint);
    }

    /** The name of a server that failed before it could say its own. */
    synchronized String fromEndpoint(TransportEndpoint endpoint) {
        String key = key(endpoint);
        String remembered = nameByEndpoint.get(key);
        if (remembered == null) {
            remembered = assign(endpoint.shortName(), endpoint);
            if (nameByEndpoint.size() < MAX_REMEMBERED) {
                nameByEndpoint.put(key, remembered);
            }
        }
        return remembered;
    }

    private String assign(String base, TransportEndpoint endpoint) {
        String key = key(endpoint);
        List<String> owners = endpointsByName.computeIfAbsent(base, b -> new ArrayList<>());
        int index = owners.indexOf(key);
        if (index < 0) {
            if (owners.size() >= MAX_ENDPOINTS_PER_NAME) {
                return base + "#overflow";
            }
            owners.add(key);
            index = owners.size() - 1;
        }
        return index == 0 ? base : base + "#" + (index + 1);
    }

    private static String key(TransportEndpoint endpoint) {
        return endpoint.transport().sqlName() + ' ' + endpoint.endpoint();
    }
}
