package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that send half a request and stop, or promise a body and never send it, used to hold the
 * four request threads for good: health, {@code /metrics} and new live streams waited behind them
 * (> 65 s). Now they hold connection threads only, which the read timeout frees.
 */
class IdleConnectionsTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final int HALF_REQUESTS = 16;
    private static final int UNSENT_BODIES = 4;
    private static ApiFixture f;

    @BeforeAll
    static void start() throws Exception {
        // the default 4 database workers: the idle clients outnumber them four times over
        f = ApiFixture.start(ApiFixture.localSettings("idle").withTimeouts(READ_TIMEOUT, Duration.ofSeconds(15)));
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void idleClientsNeitherBlockOthersNorStayForever() throws Exception {
        int port = f.server.port();
        List<Socket> idle = new ArrayList<>();
        long openedAt = System.nanoTime();
        try {
            for (int i = 0; i < HALF_REQUESTS; i++) {
                Socket s = RawHttp.connect(port);
                RawHttp.send(s, "GET /api/telemetry/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and no blank line
                idle.add(s);
            }
            List<Socket> bodies = new ArrayList<>();
            for (int i = 0; i < UNSENT_BODIES; i++) {
                Socket s = RawHttp.connect(port);
                RawHttp.send(s, "GET /api/telemetry/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n"
                        + "only a little of it");
                bodies.add(s);
            }
            for (Socket s : bodies) {
                // answered (the API reads no body); the server then waits for the rest of the body to drain it
                InputStream in = s.getInputStream();
                byte[] head = new byte[12];
                assertEquals(12, in.readNBytes(head, 0, 12));
                assertTrue(new String(head).startsWith("HTTP/1.1 200"), new String(head));
            }
            idle.addAll(bodies);

            long t0 = System.nanoTime();
            assertEquals(200, f.get("/api/telemetry/health", null).statusCode());
            assertEquals(200, f.get("/metrics", null).statusCode());
            assertEquals(200, f.get("/api/telemetry/dashboard", null).statusCode());
            try (SseReader sse = new SseReader(f.server.url() + "/api/telemetry/events", null, null)) {
                assertEquals(200, sse.status);
                sse.await(m -> m.event().equals("ready"), Duration.ofSeconds(10));
            }
            double servedMs = (System.nanoTime() - t0) / 1e6;
            // the answers did not wait for the idle clients to time out: those are all still connected
            long sinceOpened = System.nanoTime() - openedAt;
            if (sinceOpened < READ_TIMEOUT.toNanos() - Duration.ofSeconds(2).toNanos()) {
                for (Socket s : idle.subList(0, HALF_REQUESTS)) {
                    assertTrue(stillOpen(s), "an idle client was let go early");
                }
            }

            // then each is let go once its read time is up
            List<Double> closedAfter = new ArrayList<>();
            for (Socket s : idle) {
                s.setSoTimeout((int) READ_TIMEOUT.plusSeconds(30).toMillis());
                awaitClosed(s);
                closedAfter.add((System.nanoTime() - openedAt) / 1e9);
            }
            double last = closedAfter.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            assertTrue(last < READ_TIMEOUT.plusSeconds(30).toSeconds(), "closed after " + closedAfter);
            assertEquals(200, f.get("/api/telemetry/health", null).statusCode());
            System.out.printf("RELIABILITY idle-sockets: %d half requests + %d unsent bodies held; health, /metrics, "
                    + "dashboard and a new stream served in %.0f ms; idle connections closed %.1f-%.1f s after opening "
                    + "(read timeout %d s)%n", HALF_REQUESTS, UNSENT_BODIES, servedMs,
                    closedAfter.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), last, READ_TIMEOUT.toSeconds());
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    private static boolean stillOpen(Socket s) throws IOException {
        int before = s.getSoTimeout();
        s.setSoTimeout(100);
        try {
            return s.getInputStream().read() >= 0; // a byte would be an answer to half a request: not expected
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            s.setSoTimeout(before);
        }
    }

    /** Reads (and discards: the unsent-body clients have their answer there) until the server closes. */
    private static void awaitClosed(Socket s) throws IOException {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // the rest of an answer
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept an idle connection open past its read timeout", e);
        } catch (IOException e) {
            // reset: closed too
        }
    }
}
