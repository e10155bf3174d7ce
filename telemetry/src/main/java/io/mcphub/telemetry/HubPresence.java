package io.mcphub.telemetry;

import io.mcphub.telemetry.model.HubInstanceRecord;
import java.net.InetAddress;
import java.time.Instant;
import java.util.function.UnaryOperator;

/** The hub instance's row: reported at start, on every heartbeat and address change, and at stop. */
final class HubPresence {

    private volatile HubInstanceRecord current;

    HubInstanceRecord start(String tenant, String instanceId, String name, String version, String host, Integer port,
                            String agentVersion, String metadataJson) {
        Instant now = Instant.now();
        current = new HubInstanceRecord(tenant, instanceId, name, version, host != null ? host : hostName(), port,
                ProcessHandle.current().pid(), Runtime.version().toString(), agentVersion, now, now, null, metadataJson);
        return current;
    }

    boolean started() {
        return current != null;
    }

    HubInstanceRecord heartbeat() {
        return seen(Instant.now(), null, h -> h);
    }

    HubInstanceRecord moved(String host, Integer port) {
        return seen(Instant.now(), null, h -> new HubInstanceRecord(h.tenantId(), h.instanceId(), h.hubName(),
                h.hubVersion(), host != null ? host : h.host(), port != null ? port : h.port(), h.pid(), h.jvmVersion(),
                h.agentVersion(), h.startedAt(), h.lastSeenAt(), null, h.metadataJson()));
    }

    HubInstanceRecord stopped() {
        Instant now = Instant.now();
        return seen(now, now, h -> h);
    }

    private synchronized HubInstanceRecord seen(Instant at, Instant stoppedAt, UnaryOperator<HubInstanceRecord> change) {
        HubInstanceRecord h = current;
        if (h == null) {
            throw new IllegalStateException("McpHubTelemetry.initialize(...) has not been called");
        }
        h = change.apply(h);
        current = new HubInstanceRecord(h.tenantId(), h.instanceId(), h.hubName(), h.hubVersion(), h.host(), h.port(),
                h.pid(), h.jvmVersion(), h.agentVersion(), h.startedAt(), at, stoppedAt, h.metadataJson());
        return current;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
