package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random, malformed, out-of-range and injection-shaped query parameters on every endpoint: the answer
 * is a 200 or a JSON 400 naming a parameter, never a 500, never a stack trace, and the database is
 * left as it was.
 */
class ApiParameterFuzzTest {
    private static ApiFixture f;

    private static final Map<String, List<String>> PARAMS = new TreeMap<>(Map.of(
            "/api/telemetry/dashboard", List.of("window"),
            "/api/telemetry/servers", List.of("window", "status", "transport"),
            "/api/telemetry/tools", List.of("window", "server", "side", "sort", "limit"),
            "/api/telemetry/executions", List.of("server", "tool", "outcome", "side", "since", "until", "limit", "cursor", "payloads",
                    "traceId"),
            "/api/telemetry/errors", List.of("window", "server", "tool", "limit"),
            "/api/telemetry/oauth", List.of("window", "server", "limit"),
            "/api/telemetry/api-requests", List.of("window", "route", "limit"),
            "/api/telemetry/metrics", List.of("window", "metric", "scope", "instance"),
            "/api/telemetry/health", List.of(),
            "/api/telemetry/events", List.of("types", "server", "last_event_id")));

    private static final String[] SEEDS = {"1h", "15m", "7d", "400d", "401d", "0s", "-1h", "1.5h", "1H", "h", "99999999999999999999d",
        "50", "0", "-1", "500", "501", "2147483648", "1e3", "0x10", "NaN", "Infinity", "", " ", "true", "false", "TRUE",
        "2025-01-01T00:00:00Z", "2025-13-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "1700000000000", "99999999999999999", "0001-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "-99999999999999999",
        "9223372036854775807", "success", "error", "tool_error", "downstream", "served", "calls", "p95", "name",
        "connected", "stdio", "sse", "streamable-http", "jvm", "jvm.heap.used", "events,logs,executions", "events,,",
        "1-2-3", "0-0-0", "-1-0-0", "1-2", "MTc2NDA5MDcyOTc0Mzg1Njo5MA", "OTIyMzM3MjAzNjg1NDc3NTgwNzox", "LTkyMjMzNzIwMzY4NTQ3NzU4MDg6MA", "MjUzNDAyMzAwODAwMDAwMDAwOjU", "MTotMQ", "MTc2NDA5MDcyOTc0Mzg1Njo5MA==", "Og", "OjE",
        "github", "vault", "'", "''", "' OR '1'='1", "'; DROP TABLE tool_executions; --", "1; SELECT pg_sleep(10)",
        "\\", "%", "_", "*", "\u0000", "\uD800", "😀", "中文", "\u202E", "<script>alert(1)</script>", "${jndi:ldap://x}",
        "../../etc/passwd", "a".repeat(5_000), "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21"};

    @BeforeAll
    static void start() throws Exception {
        f = ApiFixture.start(ApiFixture.localSettings(SampleFleet.ACME));
        f.publishSampleFleet();
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static String randomValue(Random random) {
        String base = SEEDS[random.nextInt(SEEDS.length)];
        return switch (random.nextInt(6)) {
            case 0 -> base + SEEDS[random.nextInt(SEEDS.length)];
            case 1 -> base.isEmpty() ? base : base.substring(0, random.nextInt(base.length()));
            case 2 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = random.nextInt(20); i > 0; i--) {
                    sb.append((char) random.nextInt(random.nextBoolean() ? 0x80 : 0x10000));
                }
                yield sb.toString();
            }
            default -> base;
        };
    }

    @Test
    void randomParametersGet200Or400AndNeverA500() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        int rounds = Integer.getInteger("fuzz.rounds", 600);
        long before = rowCount();
        int ok = 0;
        int bad = 0;
        List<String> endpoints = new ArrayList<>(PARAMS.keySet());
        for (int i = 0; i < rounds; i++) {
            String path = endpoints.get(random.nextInt(endpoints.size()));
            List<String> names = new ArrayList<>(PARAMS.get(path));
            names.addAll(List.of("tenant", "unknown", "limit"));
            StringBuilder query = new StringBuilder();
            for (int p = random.nextInt(4); p > 0; p--) {
                String name = names.get(random.nextInt(names.size()));
                query.append(query.length() == 0 ? "?" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(randomValue(random), StandardCharsets.UTF_8));
            }
            String target = path + query;
            int status = check(target, "seed " + seed + " round " + i);
            if (status == 200) {
                ok++;
            } else {
                bad++;
            }
        }
        assertTrue(ok > 0 && bad > 0, "both outcomes exercised: " + ok + " / " + bad);
        assertEquals(before, rowCount(), "no request changed the stored telemetry");
        System.out.printf("RELIABILITY api-fuzz: seed %d, %d requests, %d x 200, %d x 400, 0 x 5xx%n", seed, rounds, ok, bad);
    }

    @Test
    void malformedEscapesAndRawBytesInTheQueryAre400s() throws Exception {
        for (String raw : List.of("?window=%", "?window=%zz", "?window=%ED%A0%80", "?limit=%00", "?window=1h&window=2h",
                "?=1h", "?window", "?&&&", "?limit=%C0%AF", "?window=1h%00")) {
            String target = "/api/telemetry/tools" + raw;
            int status = rawGet(target);
            assertTrue(status == 400 || status == 200, target + " -> " + status);
        }
        assertEquals(400, rawGet("/api/telemetry/tools?window=%zz"));
        assertEquals(400, rawGet("/api/telemetry/tools?window=1h&window=2h"));
    }

    /**
     * One request; the status must be 200, 400 (or, for another tenant, 401: these requests send no token)
     * with a JSON body and no stack trace.
     */
    private static int check(String target, String context) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(f.server.url() + target)).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> r = f.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        int status = r.statusCode();
        String body;
        try (InputStream in = r.body()) {
            // a 200 on the live stream never ends: its first bytes are enough
            body = target.startsWith("/api/telemetry/events") && status == 200
                    ? new String(in.readNBytes(16), StandardCharsets.UTF_8)
                    : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String where = context + ": GET " + target + " -> " + status + " " + body.substring(0, Math.min(300, body.length()));
        boolean foreignTenant = target.contains("tenant=") && status == 401;
        assertTrue(status == 200 || status == 400 || foreignTenant, where);
        assertTrue(!body.contains("\tat ") && !body.contains("at io.mcphub") && !body.contains("org.postgresql")
                && !body.contains("PSQLException"), where);
        if (status == 400) {
            JsonNode json = ApiFixture.JSON.readTree(body);
            assertEquals("bad_request", json.get("error").asText(), where);
            assertTrue(json.hasNonNull("parameter") && !json.get("parameter").asText().isEmpty(), where);
        }
        return status;
    }

    private static int rawGet(String target) throws Exception {
        URI base = URI.create(f.server.url());
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // (the JDK's HttpServer answers an unparseable request line itself: "400 ... URISyntaxException thrown")
            assertTrue(!response.contains("\tat ") && !response.contains("at io.mcphub"), target + " -> " + response);
            assertTrue(!response.startsWith("HTTP/1.1 5"), target + " -> " + response);
            return Integer.parseInt(response.substring(9, 12));
        }
    }

    private static long rowCount() throws Exception {
        try (Connection c = f.db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM tool_executions) + (SELECT count(*) FROM mcp_servers)"
                     + " + (SELECT count(*) FROM api_requests) + (SELECT count(*) FROM events)")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
