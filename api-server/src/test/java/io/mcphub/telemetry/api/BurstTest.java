package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 400 requests at once: each gets an answer or a 503, none a TCP reset. (With 4 threads and a queue of
 * 256 in the JDK server's executor, the 140 beyond were refused and the JDK closed their connections
 * with the request unread: a reset.)
 */
class BurstTest {
    private static final int REQUESTS = 400;
    private static ApiFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = ApiFixture.start(ApiFixture.localSettings("burst"));
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void everyRequestOfABurstIsAnsweredOrRefusedWith503() throws Exception {
        Map<Integer, Integer> byStatus = burst(f.server.port());
        assertTrue(byStatus.getOrDefault(200, 0) > 0, byStatus.toString());
        System.out.printf("RELIABILITY burst: %d simultaneous requests, default limits (4 workers, 256 waiting) -> %s%n",
                REQUESTS, byStatus);
    }

    @Test
    void beyondTheWorkersAndTheirQueueTheAnswerIs503Overloaded() throws Exception {
        // one worker and 4 places in its queue: most of the burst is refused, each refusal a clean 503
        try (ApiServer small = ApiServer.start(ApiFixture.localSettings("burst").withWorkers(1, 4), ApiFixture.target(f.db))) {
            Map<Integer, Integer> byStatus = burst(small.port());
            assertTrue(byStatus.getOrDefault(503, 0) > 0 && byStatus.getOrDefault(200, 0) > 0, byStatus.toString());
            System.out.printf("RELIABILITY burst: %d simultaneous requests, 1 worker and 4 waiting -> %s%n", REQUESTS, byStatus);
        }
    }

    /** Counts of the statuses answered to {@link #REQUESTS} requests sent at once; fails on any reset or other status. */
    private static Map<Integer, Integer> burst(int port) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            // all connected first, then all requests sent in one go: the server sees 400 readable connections at once
            for (int i = 0; i < REQUESTS; i++) {
                sockets.add(RawHttp.connect(port));
            }
            String request = RawHttp.request(port, "/api/telemetry/health");
            long t0 = System.nanoTime();
            for (Socket s : sockets) {
                RawHttp.send(s, request);
            }
            Map<Integer, Integer> byStatus = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            for (Socket s : sockets) {
                RawHttp.Reply r = RawHttp.read(s);
                byStatus.merge(r.status(), 1, Integer::sum);
                if (r.status() == 503) {
                    if (!r.body().contains("\"error\":\"overloaded\"") || !"1".equals(r.header("Retry-After"))) {
                        failures.add("503 without overloaded/Retry-After: " + r);
                    }
                } else if (r.status() != 200) {
                    failures.add(r.status() + " " + r.headers() + " " + r.body());
                }
            }
            System.out.printf("RELIABILITY burst: all answered in %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertEquals(List.of(), failures.subList(0, Math.min(5, failures.size())), "all " + byStatus);
            return byStatus;
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
