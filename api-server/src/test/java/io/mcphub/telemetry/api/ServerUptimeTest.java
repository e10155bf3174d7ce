package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.ServerStatusRecord;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.TenantRecord;
import io.mcphub.telemetry.model.Transport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server's uptime over a window starts from the status each hub had when the window opened, taken from
 * each hub's own latest change before it, days back and across the history's partitions (chunks): one hub's
 * latest change is not the server's.
 */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class ServerUptimeTest {
    private static final String TENANT = "initech";

    @Parameter
    StorageLayout layout;

    private final Instant until = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static ServerStatusRecord change(Instant at, String server, String hub, ServerStatus status) {
        return new ServerStatusRecord(TENANT, at, server, hub, status, status.sqlName());
    }

    private static ServerRecord server(String name, String hub, ServerStatus status, Instant at) {
        return new ServerRecord(TENANT, name, hub, Transport.STDIO, "node " + name + ".js", status, null, null, null, null, at);
    }

    @Test
    void eachHubsStatusAtTheWindowsStartIsItsOwnLatestChangeBeforeIt() throws Exception {
        try (ApiFixture f = ApiFixture.start(ApiFixture.localSettings(TENANT), layout)) {
            Instant since = until.minus(Duration.ofHours(4));
            f.publish(new TenantRecord(TENANT, "Initech"),
                    // shared: hub-2 connected 9 days back (other partitions, other chunks), hub-1 connected and
                    // left 3 days back; hub-2 leaves an hour into the window: up for the first quarter only
                    server("shared", "hub-2", ServerStatus.CONNECTED, until.minus(Duration.ofDays(9))),
                    change(until.minus(Duration.ofDays(9)), "shared", "hub-2", ServerStatus.CONNECTED),
                    change(until.minus(Duration.ofDays(3)), "shared", "hub-1", ServerStatus.CONNECTED),
                    change(until.minus(Duration.ofDays(3)).plusSeconds(60), "shared", "hub-1", ServerStatus.DISCONNECTED),
                    change(since.plus(Duration.ofHours(1)), "shared", "hub-2", ServerStatus.DISCONNECTED),
                    // alone: connected 2 days back by one hub, never a change since: up the whole window
                    server("alone", "hub-1", ServerStatus.CONNECTED, until.minus(Duration.ofDays(2))),
                    change(until.minus(Duration.ofDays(2)), "alone", "hub-1", ServerStatus.CONNECTED),
                    // late: first seen within the window, at its half: known from then on
                    server("late", "hub-1", ServerStatus.CONNECTED, since.plus(Duration.ofHours(2))),
                    change(since.plus(Duration.ofHours(2)), "late", "hub-1", ServerStatus.CONNECTED));
            JsonNode servers = f.json("/api/telemetry/servers?since=" + since + "&until=" + until).get("servers");
            assertEquals(3, servers.size(), servers.toString());
            JsonNode shared = find(servers, "shared");
            assertEquals(25.0, shared.get("uptime_percent").asDouble(), 0.01, shared.toString());
            assertEquals(1, shared.get("outages").asInt(), shared.toString());
            assertEquals(4 * 3600.0, shared.get("observed_s").asDouble(), 0.01, shared.toString());
            JsonNode alone = find(servers, "alone");
            assertEquals(100.0, alone.get("uptime_percent").asDouble(), 0.01, alone.toString());
            assertEquals(0, alone.get("outages").asInt());
            JsonNode late = find(servers, "late");
            assertEquals(100.0, late.get("uptime_percent").asDouble(), 0.01, late.toString());
            assertEquals(2 * 3600.0, late.get("observed_s").asDouble(), 0.01, late.toString());
        }
    }

    private static JsonNode find(JsonNode servers, String name) {
        for (JsonNode s : servers) {
            if (name.equals(s.get("server_name").asText())) {
                return s;
            }
        }
        throw new AssertionError("no server " + name + " in " + servers);
    }
}
