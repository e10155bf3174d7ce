package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recognisable secrets planted everywhere a hub meets them (database password, bearer tokens and
 * access_token parameters on requests to the hub, secret-named tool arguments, credentials in error
 * texts, user-info in a server URL) are found nowhere afterwards: not in any table, not in the agent's
 * log lines, not in any telemetry API answer.
 */
class PlantedSecretsTest {

    private static final String MARK = "PLANTED" + Long.toHexString(System.nanoTime());
    @AutoClose
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    @Test
    void plantedSecretsAppearNowhere(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        HttpClient http = HttpClient.newHttpClient();
        try (JvmProcess tools = JvmProcess.javaToolServer("secrets-tools")) {
            String userInfoUrl = tools.url().replace("http://", "http://user:" + MARK + "userinfo@") + "/mcp";
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"},"
                    + " \"creds\": {\"url\": \"" + userInfoUrl + "\"}}}");
            String args = Db.agentArgs(db, "secrets") + ",capturePayloads=true"
                    + (db.adminPassword().isEmpty() ? ",postgres.password=" + MARK + "dbpass" : "");
            List<String> agentLines;
            List<String> apiAnswers = new ArrayList<>();
            try (JvmProcess hub = JvmProcess.hub("secrets-hub", config, args)) {
                Db.awaitCount(db, "SELECT count(*) FROM tools WHERE tenant_id = 'secrets'", 6);
                String call = hub.url() + "/api/servers/tools/tools/";
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(call + "echo/call?access_token=" + MARK + "query"))
                            .header("Authorization", "Bearer " + MARK + "bearer")
                            .header("Cookie", "session=" + MARK + "cookie")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hello\",\"password\":\"" + MARK + "argpw\","
                                    + "\"api_key\":\"" + MARK + "apikey\",\"nested\":{\"client_secret\":\"" + MARK + "nested\"}}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                    HttpResponse<String> f = http.send(HttpRequest.newBuilder(URI.create(call + "fail/call"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"upstream said Authorization: Bearer " + MARK
                                    + "errbearer and token=" + MARK + "errparam at https://u:" + MARK + "errurl@x.example/\"}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, f.statusCode(), f.body());
                }
                Db.awaitCount(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'secrets' AND tool_name = 'fail'", 3);
                Db.awaitCount(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'secrets' AND tool_name = 'echo' "
                        + "AND arguments LIKE '%hello%' AND arguments LIKE '%REDACTED%'", 3);
                Db.awaitCount(db, "SELECT count(*) FROM api_requests WHERE tenant_id = 'secrets' AND method = 'POST'", 6);
                String api = HostileInputTest.apiUrl(hub);
                for (String q : List.of("/api/telemetry/dashboard", "/api/telemetry/servers", "/api/telemetry/tools",
                        "/api/telemetry/executions?limit=500&payloads=true", "/api/telemetry/errors", "/api/telemetry/oauth",
                        "/api/telemetry/api-requests", "/api/telemetry/metrics", "/api/telemetry/health", "/metrics")) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + q)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), q);
                    apiAnswers.add(q + " " + r.body());
                }
                agentLines = new ArrayList<>(hub.output);
            }
            List<String> leaks = new ArrayList<>();
            for (List<String> table : Db.rows(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                String t = table.get(0);
                long n = Db.count(db, "SELECT count(*) FROM " + t + " x WHERE x::text LIKE '%" + MARK + "%'");
                if (n > 0) {
                    leaks.add("table " + t + ": " + Db.rows(db, "SELECT x::text FROM " + t + " x WHERE x::text LIKE '%" + MARK + "%' LIMIT 2"));
                }
            }
            apiAnswers.stream().filter(a -> a.contains(MARK)).forEach(a -> leaks.add("API " + a));
            // the hub's own lines are the hub's business; the agent's lines must be clean
            agentLines.stream().filter(l -> l.contains(MARK) && (l.contains("telemetry") || l.contains("io.mcphub.telemetry")))
                    .forEach(l -> leaks.add("log " + l));
            assertEquals(List.of(), leaks);
            long tables = Db.count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
            System.out.printf("RELIABILITY secrets: 10 planted secrets, %d tables, %d API answers, %d log lines searched: 0 found%n",
                    tables, apiAnswers.size(), agentLines.size());
        }
    }
}
