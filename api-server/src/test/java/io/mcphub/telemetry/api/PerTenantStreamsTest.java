package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.LogLevel;
import io.mcphub.telemetry.model.LogRecord;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live stream's slots and counts belong to each tenant: one tenant holding all of its slots leaves
 * another's free; {@code /metrics} shows a tenant its own streams and drops, not everyone's; and a
 * {@code Last-Event-ID} beyond anything stored is a 400, not a stream that silently never delivers.
 */
class PerTenantStreamsTest {
    private static final int PER_TENANT = 2;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static ApiFixture f;
    private static String acme;
    private static String globex;

    @BeforeAll
    static void start() throws Exception {
        f = ApiFixture.start(ApiSettings.defaults("127.0.0.1", 0, ApiSettings.AuthMode.TOKEN, null)
                .withTiming(Duration.ofMillis(100), Duration.ofMillis(500))
                .withStreamLimits(PER_TENANT, 16, 10_000)
                .withStreamSlots(PER_TENANT, 8));
        f.publishSampleFleet();
        acme = f.token(SampleFleet.ACME);
        globex = f.token(SampleFleet.GLOBEX);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static String events() {
        return f.server.url() + "/api/telemetry/events";
    }

    @Test
    void oneTenantFillingItsSlotsLeavesAnothersFreeAndSeesOnlyItsOwnCounts() throws Exception {
        List<SseReader> open = new ArrayList<>();
        try {
            for (int i = 0; i < PER_TENANT; i++) {
                SseReader r = new SseReader(events(), acme, null);
                assertEquals(200, r.status);
                r.await(m -> m.event().equals("ready"), WAIT);
                open.add(r);
            }
            HttpResponse<String> full = f.get("/api/telemetry/events", acme);
            assertEquals(503, full.statusCode(), full.body());
            assertTrue(full.body().contains("too_many_streams") && full.body().contains("'acme'"), full.body());

            SseReader other = new SseReader(events(), globex, null);
            open.add(other);
            assertEquals(200, other.status, "another tenant's slots are its own");
            other.await(m -> m.event().equals("ready"), WAIT);

            assertEquals(PER_TENANT, gauge(f.get("/metrics", acme).body(), "mcp_telemetry_api_stream_clients", "acme"));
            assertEquals(1, gauge(f.get("/metrics", globex).body(), "mcp_telemetry_api_stream_clients", "globex"));
            assertTrue(!f.get("/metrics", globex).body().contains("tenant=\"acme\""), "nothing of acme on globex's /metrics");
        } finally {
            for (SseReader r : open) {
                r.close();
            }
        }
        LiveStreamTest.waitFor(() -> f.server.stream().activeClients() == 0, "all clients released");
        assertEquals(0, gauge(f.get("/metrics", acme).body(), "mcp_telemetry_api_stream_clients", "acme"));
    }

    @Test
    void droppedClientsAreCountedForTheirTenantOnly() throws Exception {
        long globexBefore = gauge(f.get("/metrics", globex).body(), "mcp_telemetry_api_stream_dropped_total", "globex");
        long acmeBefore = gauge(f.get("/metrics", acme).body(), "mcp_telemetry_api_stream_dropped_total", "acme");
        // acme's client reads the headers, then nothing; a flood of acme's logs overflows its 16-message queue
        try (Socket lazy = new Socket()) {
            lazy.setReceiveBufferSize(1024);
            lazy.connect(new java.net.InetSocketAddress("127.0.0.1", f.server.port()));
            RawHttp.send(lazy, "GET /api/telemetry/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + acme
                    + "\r\nAccept: text/event-stream\r\n\r\n");
            InputStream in = lazy.getInputStream();
            assertTrue(in.read(new byte[64]) > 0);
            LiveStreamTest.waitFor(() -> f.server.stream().activeClients(SampleFleet.ACME) >= 1, "client registered");
            String big = "x".repeat(16_000);
            List<LogRecord> flood = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                flood.add(new LogRecord(SampleFleet.ACME, Instant.now(), "hub-1", null, LogLevel.DEBUG, "flood", big, null));
            }
            f.publish(flood.toArray(LogRecord[]::new));
            LiveStreamTest.waitFor(() -> f.server.stream().droppedSlow(SampleFleet.ACME) > acmeBefore, "slow client dropped");
        }
        assertTrue(gauge(f.get("/metrics", acme).body(), "mcp_telemetry_api_stream_dropped_total", "acme") > acmeBefore);
        assertEquals(globexBefore, gauge(f.get("/metrics", globex).body(), "mcp_telemetry_api_stream_dropped_total", "globex"),
                "acme's dropped client is not on globex's /metrics");
    }

    @Test
    void aLastEventIdAheadOfTheStoredRowsIs400() throws Exception {
        String current;
        try (SseReader r = new SseReader(events(), acme, null)) {
            current = r.await(m -> m.event().equals("ready"), WAIT).id();
        }
        try (SseReader resumed = new SseReader(events(), acme, current)) {
            assertEquals(200, resumed.status, "a cursor the stream gave out resumes");
            resumed.await(m -> m.event().equals("ready"), WAIT);
        }
        for (String future : List.of("999999999-0-0", "0-999999999-0", "0-0-999999999999")) {
            HttpResponse<String> header = f.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(events()))
                    .header("Authorization", "Bearer " + acme).header("Last-Event-ID", future).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, header.statusCode(), future + " -> " + header.body());
            assertTrue(header.body().contains("\"parameter\":\"Last-Event-ID\"") && header.body().contains("ahead"), header.body());
            HttpResponse<String> param = f.get("/api/telemetry/events?last_event_id=" + future, acme);
            assertEquals(400, param.statusCode(), param.body());
            assertTrue(param.body().contains("\"parameter\":\"last_event_id\""), param.body());
        }
        LiveStreamTest.waitFor(() -> f.server.stream().activeClients(SampleFleet.ACME) == 0, "refused clients hold no slot");
    }

    /** The value of {@code name{tenant="tenant"}} in a scrape; fails when the family has no such sample. */
    private static long gauge(String scrape, String name, String tenant) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{tenant=\"" + Pattern.quote(tenant) + "\"\\} (\\S+)$").matcher(scrape);
        assertTrue(m.find(), name + " for " + tenant + " in:\n" + scrape);
        long value = (long) Double.parseDouble(m.group(1));
        assertTrue(!m.find(), "one sample of " + name);
        assertTrue(!Pattern.compile("(?m)^" + name + " ").matcher(scrape).find(), name + " without a tenant label");
        return value;
    }
}
