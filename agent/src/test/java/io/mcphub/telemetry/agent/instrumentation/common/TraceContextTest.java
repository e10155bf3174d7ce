package io.mcphub.telemetry.agent.instrumentation.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.TraceIds;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trace context written into the SDK's own request records and read from the OpenTelemetry API of the app. */
class TraceContextTest {

    private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void aToolCallIsCopiedWithTraceparentBesideItsOwnMeta() {
        McpSchema.CallToolRequest params = new McpSchema.CallToolRequest("echo", Map.of("text", "hi"),
                Map.of("progressToken", "p1"));
        McpSchema.JSONRPCRequest message = new McpSchema.JSONRPCRequest("2.0", "tools/call", "id-1", params);

        Object sent = TraceMeta.with(message, params, PARENT, "vendor=x");

        McpSchema.JSONRPCRequest copy = (McpSchema.JSONRPCRequest) sent;
        assertNotSame(message, copy);
        assertEquals("tools/call", copy.method());
        assertEquals("id-1", copy.id());
        McpSchema.CallToolRequest p = (McpSchema.CallToolRequest) copy.params();
        assertEquals("echo", p.name());
        assertEquals(Map.of("text", "hi"), p.arguments());
        assertEquals(Map.of("progressToken", "p1", "traceparent", PARENT, "tracestate", "vendor=x"), p.meta());
        assertEquals(PARENT, TraceMeta.traceparent(p));
        assertEquals("p1", p.progressToken());
    }

    @Test
    void initializeListingsAndUntypedParamsGetMetaToo() {
        McpSchema.InitializeRequest init = new McpSchema.InitializeRequest("2025-06-18",
                McpSchema.ClientCapabilities.builder().build(), new McpSchema.Implementation("hub", "1"));
        Object sentInit = TraceMeta.with(new McpSchema.JSONRPCRequest("2.0", "initialize", 1, init), init, PARENT, null);
        McpSchema.InitializeRequest i = (McpSchema.InitializeRequest) ((McpSchema.JSONRPCRequest) sentInit).params();
        assertEquals("hub", i.clientInfo().name());
        assertEquals(Map.of("traceparent", PARENT), i.meta());

        McpSchema.PaginatedRequest list = new McpSchema.PaginatedRequest("c1");
        Object sentList = TraceMeta.with(new McpSchema.JSONRPCRequest("2.0", "tools/list", 2, list), list, PARENT, null);
        McpSchema.PaginatedRequest l = (McpSchema.PaginatedRequest) ((McpSchema.JSONRPCRequest) sentList).params();
        assertEquals("c1", l.cursor());
        assertEquals(PARENT, l.meta().get("traceparent"));

        Map<String, Object> untyped = new LinkedHashMap<>(Map.of("name", "x", "_meta", Map.of("k", "v")));
        Object sentMap = TraceMeta.with(new McpSchema.JSONRPCRequest("2.0", "custom", 3, untyped), untyped, PARENT, null);
        Map<?, ?> m = (Map<?, ?>) ((McpSchema.JSONRPCRequest) sentMap).params();
        assertEquals("x", m.get("name"));
        assertEquals(Map.of("k", "v", "traceparent", PARENT), m.get("_meta"));
        assertEquals(Map.of("k", "v"), untyped.get("_meta"), "the hub's own map is not changed");
    }

    @Test
    void aRequestThatCannotCarryMetaIsSentAsItIs() {
        McpSchema.JSONRPCRequest ping = new McpSchema.JSONRPCRequest("2.0", "ping", 4, null);
        assertSame(ping, TraceMeta.with(ping, null, PARENT, null));
        record NoMeta(String name) {
        }
        NoMeta params = new NoMeta("n");
        McpSchema.JSONRPCRequest odd = new McpSchema.JSONRPCRequest("2.0", "odd", 5, params);
        assertSame(odd, TraceMeta.with(odd, params, PARENT, null));
        Object notARecord = List.of("x");
        assertSame(notARecord, TraceMeta.with(notARecord, Map.of(), PARENT, null));
    }

    @Test
    void theAppsCurrentSpanIsContinuedWithItsTracestate() {
        assertNull(OtelCurrentSpan.of(TraceContextTest.class), "no current span");
        SpanContext context = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.builder().put("vendor", "x").put("other", "y").build());
        try (Scope ignored = Span.wrap(context).makeCurrent()) {
            OtelCurrentSpan.Current current = OtelCurrentSpan.of(TraceContextTest.class);
            TraceIds.Parent p = current.parent();
            assertEquals("0af7651916cd43dd8448eb211c80319c", TraceIds.traceId(p.traceHigh(), p.traceLow()));
            assertEquals("b7ad6b7169203331", TraceIds.spanId(p.spanId()));
            assertTrue(p.sampled());
            assertEquals("other=y,vendor=x", current.tracestate());
        }
        assertNull(OtelCurrentSpan.of(TraceContextTest.class));
    }
}
