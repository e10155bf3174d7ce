package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Doubled slashes mean the path they are in: {@code //api/telemetry/dashboard} used to be read as host
 * {@code api} and path {@code /telemetry/dashboard} (a 404 naming the wrong path). Sent over a plain
 * socket, so the request target is exactly as written.
 */
class RequestPathTest {
    private static ApiFixture f;

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

    @Test
    void repeatedSlashesAreCollapsed() throws Exception {
        JsonNode plain = f.json("/api/telemetry/dashboard?window=1h");
        for (String target : new String[] {"//api/telemetry/dashboard?window=1h", "/api//telemetry///dashboard?window=1h",
                "///api/telemetry//dashboard?window=1h"}) {
            RawHttp.Reply r = RawHttp.get(f.server.port(), target);
            assertEquals(200, r.status(), target + " -> " + r.body());
            JsonNode doubled = ApiFixture.JSON.readTree(r.body());
            assertEquals(plain.get("tenant"), doubled.get("tenant"), target);
            assertEquals(plain.get("executions"), doubled.get("executions"), target);
        }
        // (not "//metrics": a target that is only "//name" has no path at all for the JDK server, which answers 404 itself)
        RawHttp.Reply metrics = RawHttp.get(f.server.port(), "///metrics");
        assertEquals(200, metrics.status(), metrics.body());
        assertTrue(metrics.body().contains("mcp_tool_calls_total"), metrics.body());
        RawHttp.Reply health = RawHttp.get(f.server.port(), "//api//telemetry//health");
        assertEquals(200, health.status(), health.body());
    }

    @Test
    void anUnknownPathIsNamedAsSent() throws Exception {
        RawHttp.Reply r = RawHttp.get(f.server.port(), "//api/telemetry/nothing");
        assertEquals(404, r.status(), r.body());
        assertTrue(r.body().contains("/api/telemetry/nothing"), r.body());
    }
}
