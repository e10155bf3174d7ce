package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.itapp.FilterChainApp;
import io.mcphub.telemetry.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A servlet application shaped like Spring's ({@link FilterChainApp}: filters inheriting {@code doFilter} from a
 * base that declares it, a servlet inheriting {@code service}). Each request is recorded once, through the
 * declaring classes' advice, and only the classes that declare an advised method are rewritten: at a Spring
 * Boot start a dozen servlet and filter subclasses would otherwise each be parsed and written again for nothing.
 */
class ServletFilterChainTest {

    private static final String INSTRUMENTATIONS_DEBUG =
            "-Dio.mcphub.telemetry.shaded.org.slf4j.simpleLogger.log.io.mcphub.telemetry.agent.Instrumentations=debug";

    @Test
    void requestsThroughInheritedFiltersAreRecordedOnceAndOnlyDeclaringClassesAreRewritten() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            String classes = Path.of(FilterChainApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            String classPath = classes + java.io.File.pathSeparator + JvmProcess.HUB_JAR.toAbsolutePath();
            List<String> cmd = List.of(JvmProcess.java(), INSTRUMENTATIONS_DEBUG,
                    "-javaagent:" + JvmProcess.AGENT_JAR.toAbsolutePath() + "=" + Db.agentArgs(db, "filters"),
                    "-cp", classPath, FilterChainApp.class.getName());
            JvmProcess app = JvmProcess.start("filter-chain-app", cmd, Map.of(), 60);
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + app.port + "/hello/world")).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode());
                    assertEquals("hello /world", r.body());
                    // both filters ran: the advice left the filters' behaviour as it was
                    assertEquals(List.of("EncodingFilter", "ContextFilter"), r.headers().allValues("X-Filtered-By"));
                }
                Db.awaitCount(db, "SELECT count(*) FROM api_requests WHERE tenant_id = 'filters' AND route LIKE '/hello/%'"
                        + " AND method = 'GET' AND status = 200", 3);
            } finally {
                app.process.getOutputStream().close();
                assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "the application exits when its input closes");
            }
            // two filters and a servlet nest on each request: still one row per request (counted after the exit,
            // when the agent has written everything it had)
            assertEquals(3, Db.count(db, "SELECT count(*) FROM api_requests WHERE tenant_id = 'filters'"));
            List<String> rewritten = app.output.stream().filter(l -> l.contains("instrumented "))
                    .map(l -> l.substring(l.indexOf("instrumented ") + "instrumented ".length()).trim()).toList();
            String declaring = FilterChainApp.OncePerRequest.class.getName();
            assertTrue(rewritten.contains(declaring), rewritten.toString());
            assertTrue(rewritten.contains("jakarta.servlet.http.HttpServlet"), rewritten.toString());
            for (Class<?> inheriting : new Class<?>[] {FilterChainApp.EncodingFilter.class, FilterChainApp.ContextFilter.class,
                    FilterChainApp.BaseServlet.class, FilterChainApp.HelloServlet.class}) {
                assertFalse(rewritten.contains(inheriting.getName()), inheriting + " declares nothing to advise: " + rewritten);
            }
        }
    }
}
