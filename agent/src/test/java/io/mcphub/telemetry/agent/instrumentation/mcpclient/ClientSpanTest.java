package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mcphub.telemetry.model.TraceIds;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MCP client span of a request: its ids are the ones the request carries. */
class ClientSpanTest {

    /** Stands for the SDK's transport: the hub's current span is read through its class loader. */
    private static final Object TRANSPORT = new ClientSpanTest();

    private static ClientSpan start(McpSchema.CallToolRequest params) {
        return ClientSpan.start(TRANSPORT, new McpSchema.JSONRPCRequest("2.0", "tools/call", "r-1", params), params);
    }

    private static TraceIds.Parent sent(ClientSpan span) {
        McpSchema.CallToolRequest p = (McpSchema.CallToolRequest) ((McpSchema.JSONRPCRequest) span.message()).params();
        return TraceIds.parseTraceparent((String) p.meta().get("traceparent"));
    }

    @Test
    void outsideAnyTraceARequestBeginsOneAndCarriesItsOwnSpan() {
        ClientSpan span = start(new McpSchema.CallToolRequest("echo", Map.of()));
        assertEquals(new TraceIds.Parent(span.traceHigh(), span.traceLow(), span.spanId(), true), sent(span));
        assertEquals(0, span.parentSpanId());
        assertNotEquals(span.traceLow(), start(new McpSchema.CallToolRequest("echo", Map.of())).traceLow());
    }

    @Test
    void insideTheHubsSpanTheRequestIsItsChildInItsTrace() {
        SpanContext hub = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getDefault(), TraceState.builder().put("vendor", "x").build());
        ClientSpan span;
        try (Scope ignored = Span.wrap(hub).makeCurrent()) {
            span = start(new McpSchema.CallToolRequest("echo", Map.of()));
        }
        assertEquals("0af7651916cd43dd8448eb211c80319c", TraceIds.traceId(span.traceHigh(), span.traceLow()));
        assertEquals("b7ad6b7169203331", TraceIds.spanId(span.parentSpanId()));
        assertNotEquals(span.parentSpanId(), span.spanId());
        TraceIds.Parent sent = sent(span);
        assertEquals(span.spanId(), sent.spanId());
        assertEquals(false, sent.sampled(), "the hub's sampling decision is kept");
        McpSchema.CallToolRequest p = (McpSchema.CallToolRequest) ((McpSchema.JSONRPCRequest) span.message()).params();
        assertEquals("vendor=x", p.meta().get("tracestate"));
    }

    @Test
    void aRequestThatAlreadyCarriesATraceparentIsSentAsItIsAndRecordedUnderIt() {
        String theirs = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        McpSchema.CallToolRequest params = new McpSchema.CallToolRequest("echo", Map.of(), Map.of("traceparent", theirs));
        McpSchema.JSONRPCRequest message = new McpSchema.JSONRPCRequest("2.0", "tools/call", "r-2", params);
        ClientSpan span = ClientSpan.start(TRANSPORT, message, params);
        assertSame(message, span.message());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", TraceIds.traceId(span.traceHigh(), span.traceLow()));
        assertEquals("00f067aa0ba902b7", TraceIds.spanId(span.spanId()));
    }
}
