package io.mcphub.telemetry.api;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Times;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcphub.telemetry.model.EventRecord;
import io.mcphub.telemetry.model.LogLevel;
import io.mcphub.telemetry.model.LogRecord;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.mcphub.telemetry.model.StorageLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The SSE stream: live delivery, Last-Event-ID resume from the database, commit order, heartbeats, bad clients. */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class LiveStreamTest {
    /** The layout of this run (the static start receives it too). */
    @Parameter
    StorageLayout layout;

    private static ApiFixture f;
    private static final Duration WAIT = Duration.ofSeconds(15);

    @BeforeParameterizedClassInvocation
    static void start(StorageLayout layout) throws Exception {
        f = ApiFixture.start(ApiFixture.localSettings("live").withStreamLimits(8, 16, 10_000), layout);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static ToolExecutionRecord call(String tenant, String tool) {
        return new ToolExecutionRecord(tenant, "hub-l", "srv", tool, Times.micros(Instant.now(), "startedAt"), 1_500, Outcome.SUCCESS, null, null,
                null, null, null, null, null, null, ExecutionSide.DOWNSTREAM);
    }

    private static String events() {
        return f.server.url() + "/api/telemetry/events";
    }

    @Test
    void deliversNewRowsLiveAndResumesFromLastEventId() throws Exception {
        String lastId;
        try (SseReader sse = new SseReader(events(), null, null)) {
            assertEquals(200, sse.status);
            SseReader.Message ready = sse.await(m -> m.event().equals("ready"), WAIT);
            assertTrue(ready.id().matches("\\d+-\\d+-\\d+"), ready.id());
            f.publish(call("live", "first"), new LogRecord("live", Instant.now(), "hub-l", "srv", LogLevel.INFO, "x", "hello", null),
                    new EventRecord("live", Instant.now(), "hub-l", "custom.thing", "srv", "{\"k\":1}"));
            SseReader.Message exec = sse.await(m -> m.event().equals("execution"), WAIT);
            JsonNode data = ApiFixture.JSON.readTree(exec.data());
            assertEquals("first", data.get("tool_name").asText());
            assertEquals(1.5, data.get("duration_ms").asDouble(), 1e-9);
            SseReader.Message log = sse.await(m -> m.event().equals("log"), WAIT);
            assertEquals("hello", ApiFixture.JSON.readTree(log.data()).get("message").asText());
            SseReader.Message event = sse.await(m -> m.event().equals("event"), WAIT);
            assertEquals(1, ApiFixture.JSON.readTree(event.data()).at("/payload/k").asInt(), "jsonb payload embedded as JSON");
            lastId = sse.lastId;
            // heartbeats (500 ms in this test) keep the connection alive while nothing happens
            waitFor(() -> List.copyOf(sse.comments).stream().anyMatch(c -> c.startsWith(": heartbeat")),
                    "a heartbeat comment");
        }
        // while nobody listens, three more calls; a resuming client gets exactly those, in order
        f.publish(call("live", "missed-1"), call("live", "missed-2"), call("live", "missed-3"));
        try (SseReader resumed = new SseReader(events(), null, lastId)) {
            List<String> tools = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SseReader.Message m = resumed.await(x -> x.event().equals("execution"), WAIT);
                tools.add(ApiFixture.JSON.readTree(m.data()).get("tool_name").asText());
            }
            assertEquals(List.of("missed-1", "missed-2", "missed-3"), tools);
            resumed.await(m -> m.event().equals("ready"), WAIT);
            f.publish(call("live", "after-resume"));
            SseReader.Message m = resumed.await(x -> x.event().equals("execution"), WAIT);
            assertEquals("after-resume", ApiFixture.JSON.readTree(m.data()).get("tool_name").asText(), "no duplicate, nothing skipped");
        }
    }

    @Test
    void aRowCommittedLateWithAnOlderIdIsStillDelivered() throws Exception {
        try (SseReader sse = new SseReader(events() + "?types=events", null, null);
             Connection slow = f.db.connect()) {
            sse.await(m -> m.event().equals("ready"), WAIT);
            // today's storage (a partition, a TimescaleDB chunk) made first: the transaction that creates a
            // chunk would hold its creation lock and make the sink wait for the commit this test delays
            f.publish(new EventRecord("live", Instant.now(), "hub-l", "warm.up", null, null));
            sse.await(m -> m.event().equals("event"), WAIT);
            slow.setAutoCommit(false);
            try (Statement st = slow.createStatement()) {
                // a writer like the sink's, which holds a transaction id before it takes row ids (on Citus the
                // rows go to the workers, and only this gives the coordinator's transaction one)
                st.execute("SELECT txid_current()");
                // takes an event id now, commits only after the sink has written newer ids
                st.execute("INSERT INTO events (tenant_id, occurred_at, event_type) VALUES ('live', now(), 'slow.commit')");
            }
            f.publish(new EventRecord("live", Instant.now(), "hub-l", "fast.commit", null, null));
            Thread.sleep(700);
            slow.commit();
            Set<String> types = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                SseReader.Message m = sse.await(x -> x.event().equals("event"), WAIT);
                types.add(ApiFixture.JSON.readTree(m.data()).get("event_type").asText());
            }
            assertEquals(Set.of("slow.commit", "fast.commit"), types);
        }
    }

    @Test
    void filtersByTypeAndServer() throws Exception {
        try (SseReader sse = new SseReader(events() + "?types=executions&server=wanted", null, null)) {
            sse.await(m -> m.event().equals("ready"), WAIT);
            f.publish(new ToolExecutionRecord("live", "hub-l", "other", "t", Times.micros(Instant.now(), "startedAt"), 1, Outcome.SUCCESS, null, null,
                    null, null, null, null, null, null, ExecutionSide.DOWNSTREAM),
                    new LogRecord("live", Instant.now(), "hub-l", "wanted", LogLevel.INFO, "x", "not an execution", null),
                    new ToolExecutionRecord("live", "hub-l", "wanted", "t", Times.micros(Instant.now(), "startedAt"), 1, Outcome.SUCCESS, null, null,
                            null, null, null, null, null, null, ExecutionSide.DOWNSTREAM));
            SseReader.Message m = sse.await(x -> !x.event().equals("ready"), WAIT);
            assertEquals("execution", m.event());
            assertEquals("wanted", ApiFixture.JSON.readTree(m.data()).get("server_name").asText());
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndAVanishedOneIsNoticed() throws Exception {
        long droppedBefore = f.server.stream().droppedSlow.sum();
        long vanishedBefore = f.server.stream().vanished.sum();
        // a client that reads the headers, then nothing: a tiny receive buffer fills, the server's writes block,
        // its 16-message queue overflows and the server gives up on it
        try (Socket lazy = new Socket()) {
            lazy.setReceiveBufferSize(1024);
            lazy.connect(new java.net.InetSocketAddress("127.0.0.1", f.server.port()));
            OutputStream out = lazy.getOutputStream();
            out.write(("GET /api/telemetry/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = lazy.getInputStream();
            byte[] head = new byte[64];
            assertTrue(in.read(head) > 0);
            waitFor(() -> f.server.stream().activeClients() >= 1, "client registered");
            String big = "x".repeat(16_000);
            List<LogRecord> flood = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                flood.add(new LogRecord("live", Instant.now(), "hub-l", null, LogLevel.DEBUG, "flood", big, null));
            }
            f.publish(flood.toArray(LogRecord[]::new));
            waitFor(() -> f.server.stream().droppedSlow.sum() > droppedBefore, "slow client dropped");
        }
        // a client that connects and disappears: noticed at the latest at the next heartbeat
        SseReader gone = new SseReader(events(), null, null);
        gone.await(m -> m.event().equals("ready"), WAIT);
        int before = f.server.stream().activeClients();
        gone.close();
        waitFor(() -> f.server.stream().activeClients() < before, "vanished client released");
        assertTrue(f.server.stream().vanished.sum() > vanishedBefore || f.server.stream().activeClients() < before);
        // and the server still serves new clients
        try (SseReader fresh = new SseReader(events(), null, null)) {
            fresh.await(m -> m.event().equals("ready"), WAIT);
        }
    }

    @Test
    void tooManyClientsGetA503() throws Exception {
        List<SseReader> open = new ArrayList<>();
        try {
            while (open.size() < 8) {
                SseReader r = new SseReader(events(), null, null);
                if (r.status != 200) {
                    r.close();
                    break;
                }
                open.add(r);
            }
            var rejected = f.get("/api/telemetry/events", null);
            assertEquals(503, rejected.statusCode(), rejected.body());
            assertEquals("too_many_streams", ApiFixture.JSON.readTree(rejected.body()).get("error").asText());
        } finally {
            for (SseReader r : open) {
                r.close();
            }
        }
        waitFor(() -> f.server.stream().activeClients() == 0, "all clients released");
        assertFalse(f.server.stream().activeClients() > 0);
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
