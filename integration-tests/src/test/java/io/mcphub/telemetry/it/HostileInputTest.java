package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile tool names, arguments, error messages and HTTP paths through the whole pipeline: hub REST →
 * agent → ring → COPY → PostgreSQL → telemetry API JSON. The hub answers as it would without the
 * agent, rows are stored exactly (NUL as U+2400, lone surrogates as U+FFFD, long values capped), no
 * hook fails, and the API serves the rows with 200s.
 */
class HostileInputTest {

    private static final Pattern API = Pattern.compile("telemetry API and dashboard on (http://[0-9.]+:\\d+)/");
    private static final String SQL = "'; DROP TABLE tool_executions; --";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @AutoClose
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String refusedOrOk(String answer) {
        return answer.startsWith("200") ? "200" : answer.startsWith("4") || answer.startsWith("refused") ? "refused" : answer;
    }

    /** Status and body, or how the connection ended when there was no answer. */
    private static String answer(String url, String body) {
        try {
            HttpResponse<String> r = post(url, body);
            if (r.statusCode() == 400 && r.body().startsWith("<html>")) {
                return "refused by Jetty";
            }
            return r.statusCode() + " " + r.body().replaceAll("\"(session|id)\":\"[^\"]*\"", "");
        } catch (Exception e) {
            // Jetty answers a suspicious path with a 400 page and closes; the client sometimes sees only the close
            return "refused by Jetty";
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    @Test
    void hostileValuesAreStoredExactlyAndServedWithoutErrors(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        try (JvmProcess tools = JvmProcess.javaToolServer("hostile-tools")) {
            Files.writeString(config, "{\"mcpServers\": {\"tools\": {\"url\": \"" + tools.url() + "/mcp\"}}}");
            String args = Db.agentArgs(db, "hostile") + ",capturePayloads=true";
            try (JvmProcess hub = JvmProcess.hub("hostile-hub", config, args)) {
                Db.awaitCount(db, "SELECT count(*) FROM tools WHERE tenant_id = 'hostile'", 6);
                String call = hub.url() + "/api/servers/tools/tools/";

                // tool names: forwarded to the server, which does not know them
                List<String> names = List.of(SQL, "nul\u0000name", "tab\tand\nnewline", "back\\slash \\N \\.", "emoji😀中文",
                        "%s%n%x", "<script>alert(1)</script>", "x".repeat(2_000));
                String tenMbAnswer;
                List<String> forwarded = new java.util.ArrayList<>();
                List<String> withAgent = new java.util.ArrayList<>();
                for (String name : names) {
                    String answer = answer(call + pathSegment(name) + "/call", "{}");
                    withAgent.add(answer);
                    if (answer.contains("downstream_error")) {
                        forwarded.add(name);
                    }
                }
                // the same requests to the same hub without the agent get the same answers
                try (JvmProcess plain = JvmProcess.hub("hostile-hub-plain", config, null)) {
                    List<String> without = new java.util.ArrayList<>();
                    for (String name : names) {
                        without.add(answer(plain.url() + "/api/servers/tools/tools/" + pathSegment(name) + "/call", "{}"));
                    }
                    assertEquals(without, withAgent, "the hub answers hostile tool names as it does without the agent");
                    // 10 MB arguments: whatever the hub and server make of them, the agent changes nothing
                    String tenMb = "{\"text\":\"T10 " + "m".repeat(10 * 1024 * 1024) + "\"}";
                    String big = answer(call + "echo/call", tenMb);
                    // the hub answers 400 and closes while the client may still be sending: a refusal either way
                    assertEquals(refusedOrOk(answer(plain.url() + "/api/servers/tools/tools/echo/call", tenMb)), refusedOrOk(big));
                    tenMbAnswer = big.substring(0, Math.min(big.length(), 160));
                }
                // Jetty refuses NUL, tab, backslash, '%' and '<' in a path before the hub sees them; those characters reach the
                // sink through arguments and error texts below (and CopyEncoderFuzzTest)
                assertTrue(forwarded.size() >= 3, "SQL, emoji and long names reached the server: " + withAgent);

                // arguments: echoed back unchanged by the hub
                List<String> texts = List.of("A1 " + SQL, "A2 nul\u0000inside", "A3 lone\uD800surrogate", "A4 \\ \t \n \r \\. \\N",
                        "A5 " + "m".repeat(2 * 1024 * 1024));
                for (String text : texts) {
                    HttpResponse<String> r = post(call + "echo/call", "{\"text\":" + jsonString(text) + "}");
                    assertEquals(200, r.statusCode(), text.substring(0, Math.min(40, text.length())));
                    assertTrue(r.body().length() >= text.length() / 2, "the hub echoed the text");
                }
                // (the hub's own JSON parser refuses nesting much deeper than this, with or without the agent)
                String nested = "[".repeat(400) + "\"deep\"" + "]".repeat(400);
                assertEquals(200, post(call + "echo/call", "{\"text\":\"A6 nested\",\"n\":" + nested + "}").statusCode());

                // error messages: the fail tool returns them in an isError result
                for (String msg : List.of("E1 " + SQL, "E2 nul\u0000x", "E3 " + "e".repeat(2 * 1024 * 1024))) {
                    HttpResponse<String> r = post(call + "fail/call", "{\"message\":" + jsonString(msg) + "}");
                    assertEquals(200, r.statusCode());
                }

                // HTTP paths
                int paths = 0;
                for (String p : List.of("/api/servers/" + pathSegment(SQL), "/" + pathSegment(SQL), "/api/%00", "/api/servers/%ED%A0%80",
                        "/api/" + "p".repeat(5_000), "/api/servers/tools/tools/echo/call/../../../x")) {
                    HttpResponse<String> r = get(hub.url() + p);
                    assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, p + " -> " + r.statusCode());
                    // what Jetty refuses itself (an HTML error page) never reaches the hub's servlets, nor the agent
                    if (!r.body().startsWith("<html>")) {
                        paths++;
                    }
                }

                // everything forwarded is stored, exactly; names over 200 characters as their capped form
                // (cut, with a hash of the whole: they are index keys and Prometheus labels)
                Db.awaitCount(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'hostile'", forwarded.size() + texts.size() + 1 + 3);
                for (String name : forwarded) {
                    String stored = io.mcphub.telemetry.text.Names.cap(name).replace('\u0000', '\u2400');
                    List<List<String>> rows = rowsWhere("tool_name", stored);
                    assertEquals(1, rows.size(), "tool name stored exactly once: " + name.substring(0, Math.min(30, name.length())));
                }
                assertEquals("1", Db.rows(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'hostile' AND tool_name = 'echo' "
                        + "AND arguments LIKE '%A3 lone\uFFFDsurrogate%'").get(0).get(0), "lone surrogate as U+FFFD");
                assertEquals("1", Db.rows(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'hostile' AND tool_name = 'echo' "
                        + "AND arguments LIKE '%A2 nul\u2400inside%'").get(0).get(0), "NUL as U+2400");
                List<String> big = Db.rows(db, "SELECT argument_bytes, length(arguments), result_bytes, length(result) FROM tool_executions "
                        + "WHERE tenant_id = 'hostile' AND arguments LIKE '%A5 mmm%'").get(0);
                assertTrue(Long.parseLong(big.get(0)) > 2 * 1024 * 1024, "argument size measured: " + big);
                assertTrue(Long.parseLong(big.get(1)) < 4_200 && Long.parseLong(big.get(3)) < 4_200, "payloads capped: " + big);
                List<String> bigError = Db.rows(db, "SELECT length(error_message), outcome FROM tool_executions "
                        + "WHERE tenant_id = 'hostile' AND tool_name = 'fail' AND error_message LIKE '%E3 eee%'").get(0);
                assertTrue(Integer.parseInt(bigError.get(0)) < 16_500, "error text capped: " + bigError);
                assertEquals("tool_error", bigError.get(1));
                assertEquals("1", Db.rows(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'hostile' "
                        + "AND error_message LIKE '%E1 ''; DROP TABLE tool_executions; --%'").get(0).get(0));
                assertEquals("1", Db.rows(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'hostile' "
                        + "AND arguments LIKE '%A6 nested%'").get(0).get(0), "deeply nested arguments recorded");
                Db.awaitCount(db, "SELECT count(*) FROM api_requests WHERE tenant_id = 'hostile' AND status >= 400 AND method = 'GET'", paths);

                // the telemetry API serves all of it
                String api = apiUrl(hub);
                for (String q : List.of("/api/telemetry/executions?limit=500&payloads=true", "/api/telemetry/executions?limit=500&outcome=error",
                        "/api/telemetry/tools?window=1h", "/api/telemetry/errors?window=1h", "/api/telemetry/dashboard?window=1h",
                        "/api/telemetry/api-requests?window=1h", "/metrics",
                        "/api/telemetry/executions?tool=" + URLEncoder.encode(SQL, StandardCharsets.UTF_8))) {
                    HttpResponse<String> r = get(api + q);
                    assertEquals(200, r.statusCode(), q + " -> " + r.body());
                }
                assertTrue(get(api + "/api/telemetry/executions?limit=500&payloads=true").body().contains("DROP TABLE"));
                assertTrue(hub.output.stream().noneMatch(l -> l.contains("telemetry hook")), String.join("\n", hub.output));
                System.out.printf("RELIABILITY hostile: %d tool names (%d reached the server), %d argument texts (incl. 2 MB, 400-deep JSON), 3 error messages "
                        + "(incl. 2 MB), %d paths: all stored as specified, API 200s, 0 hook failures; 10 MB argument: %s (same without agent)%n", names.size(), forwarded.size(), texts.size() + 1, paths, tenMbAnswer);
            }
        }
    }

    private static List<List<String>> rowsWhere(String column, String value) throws Exception {
        try (var c = db.connect(); var ps = c.prepareStatement("SELECT id FROM tool_executions WHERE tenant_id = 'hostile' AND "
                + column + " = ?")) {
            ps.setString(1, value);
            List<List<String>> out = new java.util.ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(List.of(rs.getString(1)));
                }
            }
            return out;
        }
    }

    static String apiUrl(JvmProcess hub) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : hub.output) {
                Matcher m = API.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the agent never reported its API address:\n" + String.join("\n", hub.output));
    }
}
