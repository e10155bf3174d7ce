package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import io.mcphub.telemetry.agent.instrumentation.common.OtelCurrentSpan;
import io.mcphub.telemetry.agent.instrumentation.common.TraceMeta;
import io.mcphub.telemetry.model.TraceIds;

/**
 * The MCP client span of one request to a server: a span id of its own, in the hub's current trace
 * (its parent is the hub's current span) or, outside any, in a new trace; and the request as sent,
 * carrying that span as {@code params._meta.traceparent}. A request that already carries a traceparent
 * (the app's own, or this hook seeing it again through a wrapping transport) is kept as it is, and its
 * ids are the call's.
 */
record ClientSpan(Object message, long traceHigh, long traceLow, long spanId, long parentSpanId) {

    static ClientSpan start(Object transport, Object message, Object params) {
        String existing = TraceMeta.traceparent(params);
        if (existing != null) {
            TraceIds.Parent p = TraceIds.parseTraceparent(existing);
            return p == null ? new ClientSpan(message, 0, 0, 0, 0)
                    : new ClientSpan(message, p.traceHigh(), p.traceLow(), p.spanId(), 0);
        }
        OtelCurrentSpan.Current current = OtelCurrentSpan.of(transport.getClass());
        long span = TraceIds.randomId();
        long high;
        long low;
        long parent = 0;
        // every execution is recorded, so a trace begun here is sampled
        boolean sampled = true;
        String state = null;
        if (current != null) {
            high = current.parent().traceHigh();
            low = current.parent().traceLow();
            parent = current.parent().spanId();
            sampled = current.parent().sampled();
            state = current.tracestate();
        } else {
            high = TraceIds.randomId();
            low = TraceIds.randomId();
        }
        Object sent = TraceMeta.with(message, params, TraceIds.traceparent(high, low, span, sampled), state);
        return new ClientSpan(sent, high, low, span, parent);
    }
}
