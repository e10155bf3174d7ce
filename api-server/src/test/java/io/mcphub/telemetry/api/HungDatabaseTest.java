package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.testing.TcpProxy;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database that stops answering (PostgreSQL under SIGSTOP: connections accepted, no byte back) used
 * to hold API requests for 40 s and more, far past the query timeout: the driver's socket timeout was
 * 45 s. Here the API reaches the real PostgreSQL through a proxy the test freezes while requests are
 * mid-query (waiting for a lock the test holds), then more requests come, finding the pool's
 * connections taken and new ones hanging at login: every request is answered 503 by its deadline, and
 * the API recovers when the database answers again.
 */
class HungDatabaseTest {
    /** Long enough that the requests waiting for the lock are still waiting when the database freezes. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);
    /** Requests mid-query at the freeze: the pool has 4 connections, the live feed's poller may use one. */
    private static final int IN_FLIGHT = 3;
    /** Beyond the deadline (query timeout + 1 s): a busy machine's scheduling, never a database wait. */
    private static final Duration SLACK = Duration.ofSeconds(4);
    private static TcpProxy proxy;
    private static ApiFixture f;

    @BeforeAll
    static void start() throws Exception {
        var server = io.mcphub.telemetry.testing.TestDatabase.server();
        proxy = TcpProxy.to(server.host(), server.port());
        f = ApiFixture.start(ApiFixture.localSettings(SampleFleet.ACME).withTimeouts(Duration.ofSeconds(10), QUERY_TIMEOUT),
                StorageLayout.PLAIN, t -> viaProxy(t, proxy.port()));
        f.publishSampleFleet();
    }

    private static DatabaseTarget viaProxy(DatabaseTarget t, int port) {
        String url = t.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
        return t.withJdbcUrl(url);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (f != null) {
            f.close();
        }
    }

    @Test
    void everyRequestEndsByItsDeadlineWhileTheDatabaseHangs() throws Exception {
        String token = f.token(SampleFleet.ACME); // written directly: its first use needs the (hung) database
        List<String> paths = List.of("/api/telemetry/health", "/api/telemetry/dashboard", "/api/telemetry/servers",
                "/api/telemetry/executions", "/metrics", "/api/telemetry/events?last_event_id=0-0-0");
        for (String p : paths.subList(0, 5)) {
            assertEquals(200, f.get(p, null).statusCode(), p + " before the freeze");
        }
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try (Connection locker = f.db.connect()) {
            // requests in the middle of a query when the database stops: they wait for a lock, the database
            // is frozen, then the lock goes (over a direct connection): their answers are stuck in the proxy
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("LOCK TABLE mcp_servers IN ACCESS EXCLUSIVE MODE");
            }
            List<Future<String>> inFlight = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                inFlight.add(clients.submit(() -> timed("/api/telemetry/servers", null)));
            }
            awaitLockWaiters(IN_FLIGHT);
            proxy.freeze();
            locker.commit();
            // then requests that find the pool's connections taken and new ones hanging at login
            List<Future<String>> later = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (String p : paths) {
                    later.add(clients.submit(() -> timed(p, null)));
                }
                later.add(clients.submit(() -> timed("/api/telemetry/servers", token)));
            }
            double limit = QUERY_TIMEOUT.plus(ApiSettings.DEADLINE_MARGIN).plus(SLACK).toMillis() / 1000.0;
            double slowestInFlight = check(inFlight, limit);
            double slowestLater = check(later, limit);
            System.out.printf("RELIABILITY hung-db: %d requests mid-query at the freeze, all 503, slowest %.2f s; "
                    + "%d requests during the freeze, all 503, slowest %.2f s (query timeout %d s, deadline %d s)%n",
                    IN_FLIGHT, slowestInFlight, later.size(), slowestLater, QUERY_TIMEOUT.toSeconds(),
                    QUERY_TIMEOUT.plus(ApiSettings.DEADLINE_MARGIN).toSeconds());
        } finally {
            clients.shutdownNow();
            proxy.thaw();
        }
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status = 0;
        while (status != 200 && System.nanoTime() < end) {
            status = f.get("/api/telemetry/health", null).statusCode();
        }
        assertEquals(200, status, "the API answers again once the database does");
        JsonNode dashboard = f.json("/api/telemetry/dashboard");
        assertEquals(SampleFleet.ACME, dashboard.get("tenant").asText());
    }

    /** Every answer a 503 naming the database, within {@code limit} seconds; returns the slowest. */
    private static double check(List<Future<String>> results, double limit) throws Exception {
        double slowest = 0;
        List<String> lines = new ArrayList<>();
        for (Future<String> r : results) {
            String line = r.get();
            lines.add(line);
            slowest = Math.max(slowest, Double.parseDouble(line.substring(0, line.indexOf(' '))));
        }
        for (String line : lines) {
            assertTrue(line.contains(" 503 "), line);
            assertTrue(line.contains("query_timeout") || line.contains("database_unavailable"), line);
        }
        assertTrue(slowest < limit, "slowest answer " + slowest + " s, limit " + limit + " s: " + lines);
        return slowest;
    }

    private static void awaitLockWaiters(int n) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection c = f.db.connect(); Statement st = c.createStatement()) {
            while (System.nanoTime() < end) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        + "AND application_name = 'mcp-telemetry-api' AND wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getInt(1) >= n) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the API's queries never waited for the lock");
    }

    /** "seconds status body" of one request. */
    private static String timed(String path, String token) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = f.get(path, token);
        double s = (System.nanoTime() - t0) / 1e9;
        return String.format(java.util.Locale.ROOT, "%.3f %d %s %s", s, r.statusCode(), path, r.body());
    }

}
