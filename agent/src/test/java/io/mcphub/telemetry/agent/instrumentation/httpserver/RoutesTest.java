package io.mcphub.telemetry.agent.instrumentation.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoutesTest {

    @Test
    void plainPathsStayAsTheyAre() {
        assertEquals("/api/health", Routes.normalize("/api/health"));
        assertEquals("/api/servers/java-tools/tools/echo/call", Routes.normalize("/api/servers/java-tools/tools/echo/call"));
        assertEquals("/api/servers/everything/tools/simulate-research-query/call",
                Routes.normalize("/api/servers/everything/tools/simulate-research-query/call"));
        assertEquals("/mcp", Routes.normalize("/mcp"));
        assertEquals("/", Routes.normalize(""));
        assertEquals("/", Routes.normalize("/"));
    }

    @Test
    void identifierSegmentsBecomeId() {
        assertEquals("/api/orders/{id}/items/{id}", Routes.normalize("/api/orders/12345/items/7"));
        assertEquals("/sessions/{id}", Routes.normalize("/sessions/3f2b8c1e-9a4d-4e2b-8f1a-0c9d8e7f6a5b"));
        assertEquals("/blobs/{id}", Routes.normalize("/blobs/9f86d081884c7d659a2feaa0c55ad015"));
        assertEquals("/tokens/{id}", Routes.normalize("/tokens/aGVsbG8gd29ybGQx2024"));
        assertEquals("/users/{id}", Routes.normalize("/users/john doe"));
        assertEquals("/users/{id}", Routes.normalize("/users/" + "x".repeat(41)));
        assertEquals("/users/{id}", Routes.normalize("/users/jürgen"));
    }

    @Test
    void queryStringsEmptySegmentsAndLengthAreDealtWith() {
        assertEquals("/api/servers", Routes.normalize("/api//servers/?token=secret"));
        assertEquals("/a/b/c/d/e/f/g/h/**", Routes.normalize("/a/b/c/d/e/f/g/h/i/j/k"));
        String long40 = "/" + "abcdefghij".repeat(4);
        String route = Routes.normalize(long40.repeat(8));
        assertTrue(route.length() <= Routes.MAX_LENGTH, route);
        assertTrue(route.endsWith("..."), route);
    }

    @Test
    void notFoundIsRecordedAsTheMappingThatReceivedIt() {
        assertEquals("/api/*", Routes.route("/api/servers/no-such-server", "/api/*", 404));
        assertEquals("/api/servers/java", Routes.route("/api/servers/java", "/api/*", 200));
    }

    @Test
    void aPathSeenBeforeGetsTheSameRouteAndA404NeverReadsIt() {
        assertNull(Routes.routeOrNull("/api/orders/4711", 404), "a 404 leaves the route to the mapping pattern");
        assertEquals("/api/orders/{id}", Routes.routeOrNull("/api/orders/4711", 200));
        assertEquals("/api/orders/{id}", Routes.routeOrNull("/api/orders/4711", 201), "the remembered route");
        assertEquals("/api/orders/{id}", Routes.routeOrNull(new String("/api/orders/4711"), 200), "looked up by value");
        assertNull(Routes.routeOrNull("/api/orders/4711", 404), "a remembered path still answers 404 by its pattern");
        assertEquals("/", Routes.routeOrNull(null, 200));
    }
}
