package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telemetry API's port is held by another process: the agent says so in one WARN line naming the
 * port, serves on a free port instead, and its INFO line gives the URL it really serves on.
 */
class TakenApiPortTest extends WithDatabase {

    @Test
    void aTakenPortIsReportedAndAFreeOneServed(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        Files.writeString(config, "{\"mcpServers\": {}}");
        try (ServerSocket holder = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int taken = holder.getLocalPort();
            String args = Db.agentArgs(db, "taken-port").replace("api.port=0", "api.port=" + taken);
            try (JvmProcess hub = JvmProcess.hub("taken-port-hub", config, args)) {
                String api = AgentApiServerTest.awaitApiUrl(hub);
                assertNotEquals("http://127.0.0.1:" + taken, api, "the held port is not claimed");
                List<String> warnings = hub.output.stream().filter(l -> l.contains("WARN") && l.contains("telemetry API"))
                        .toList();
                assertEquals(1, warnings.size(), String.join("\n", hub.output));
                assertTrue(warnings.get(0).contains("port " + taken + " is in use on 127.0.0.1; serving on free port "
                        + URI.create(api).getPort() + " instead, " + api + "/"), warnings.get(0));
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(api + "/api/telemetry/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
                assertTrue(health.body().contains("\"database\":{\"reachable\":true"), health.body());
            }
        }
    }
}
