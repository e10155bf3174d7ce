package io.mcphub.telemetry.otlp;

import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tool executions as OTLP (opentelemetry-proto {@code collector/trace/v1} and {@code collector/metrics/v1}):
 * one span per execution, named and attributed as the MCP semantic conventions say ({@code tools/call
 * <tool>}, CLIENT for the hub's calls to servers, SERVER for calls clients made to the hub), and the
 * {@code mcp.client.operation.duration} / {@code mcp.server.operation.duration} histograms (seconds,
 * the conventions' buckets) of the executions of one export, as delta points.
 */
final class OtlpEncoder {

    static final String METHOD = "tools/call";
    static final String CLIENT_DURATION = "mcp.client.operation.duration";
    static final String SERVER_DURATION = "mcp.server.operation.duration";
    /** The MCP conventions' explicit bucket boundaries of the operation durations, in seconds. */
    static final double[] BOUNDS = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300};
    static final String SCOPE = "io.mcphub.telemetry";
    private static final int KIND_SERVER = 2;
    private static final int KIND_CLIENT = 3;
    private static final int STATUS_ERROR = 2;
    private static final int TEMPORALITY_DELTA = 1;

    private final ProtoWriter resource;
    private final ProtoWriter scope;
    /** How each downstream server is reached, from its reports: {@code network.transport}, {@code mcp.protocol.version}. */
    private final Map<String, String[]> servers = new java.util.concurrent.ConcurrentHashMap<>();

    OtlpEncoder(String serviceName, String instanceId, String tenant, String version) {
        this.resource = new ProtoWriter();
        attribute(resource, 1, "service.name", serviceName);
        attribute(resource, 1, "service.instance.id", instanceId);
        attribute(resource, 1, "service.version", version);
        attribute(resource, 1, "mcphub.tenant", tenant);
        this.scope = new ProtoWriter().string(1, SCOPE);
    }

    /** Notes a server's transport and protocol version, for the attributes of its executions. */
    void server(ServerRecord server) {
        String transport = switch (server.transport()) {
            case STDIO -> "pipe";
            case SSE, STREAMABLE_HTTP -> "tcp";
            default -> null;
        };
        String[] known = servers.get(server.serverName());
        String version = server.protocolVersion() != null ? server.protocolVersion() : known == null ? null : known[1];
        servers.put(server.serverName(), new String[] {transport, version});
    }

    /** An {@code ExportTraceServiceRequest} of the executions that carry a trace id. */
    byte[] traces(List<ToolExecutionRecord> executions) {
        ProtoWriter scopeSpans = new ProtoWriter().message(1, scope);
        for (ToolExecutionRecord e : executions) {
            if (e.traceIdHigh() == 0 && e.traceIdLow() == 0) {
                continue;
            }
            scopeSpans.message(2, span(e));
        }
        ProtoWriter resourceSpans = new ProtoWriter().message(1, resource).message(2, scopeSpans);
        return new ProtoWriter().message(1, resourceSpans).toByteArray();
    }

    private ProtoWriter span(ToolExecutionRecord e) {
        long startNanos = e.startedAtMicros() * 1_000;
        ProtoWriter span = new ProtoWriter()
                .bytes(1, id(e.traceIdHigh(), e.traceIdLow()))
                .bytes(2, id(e.spanId()));
        if (e.parentSpanId() != 0) {
            span.bytes(4, id(e.parentSpanId()));
        }
        span.string(5, METHOD + " " + e.toolName())
                .varint(6, e.side() == ExecutionSide.SERVED ? KIND_SERVER : KIND_CLIENT)
                .fixed64(7, startNanos)
                .fixed64(8, startNanos + e.durationMicros() * 1_000);
        attributes(span, 9, e);
        attribute(span, 9, "gen_ai.operation.name", "execute_tool");
        attribute(span, 9, "mcp.session.id", e.sessionId());
        attribute(span, 9, "jsonrpc.request.id", e.requestId());
        String errorType = errorType(e);
        if (errorType != null) {
            span.message(15, new ProtoWriter().string(2, e.errorMessage()).varint(3, STATUS_ERROR));
        }
        return span;
    }

    /** The attributes spans and histogram points share. */
    private void attributes(ProtoWriter target, int field, ToolExecutionRecord e) {
        attribute(target, field, "mcp.method.name", METHOD);
        attribute(target, field, "gen_ai.tool.name", e.toolName());
        attribute(target, field, "mcphub.server.name", e.serverName());
        attribute(target, field, "error.type", errorType(e));
        String[] server = e.side() == ExecutionSide.DOWNSTREAM ? servers.get(e.serverName()) : null;
        if (server != null) {
            attribute(target, field, "network.transport", server[0]);
            attribute(target, field, "mcp.protocol.version", server[1]);
        }
    }

    /** {@code tool_error} for a result with isError (as the conventions say), else the error's class or outcome. */
    static String errorType(ToolExecutionRecord e) {
        if (e.outcome() == Outcome.SUCCESS) {
            return null;
        }
        if (e.outcome() == Outcome.TOOL_ERROR) {
            return "tool_error";
        }
        return e.errorClass() != null ? e.errorClass() : e.outcome().sqlName();
    }

    /** An {@code ExportMetricsServiceRequest}: the durations of the executions, one delta point per series. */
    byte[] metrics(List<ToolExecutionRecord> executions, long startNanos, long endNanos) {
        Map<ExecutionSide, Map<List<String>, Point>> series = new LinkedHashMap<>();
        for (ToolExecutionRecord e : executions) {
            List<String> key = java.util.Arrays.asList(e.serverName(), e.toolName(), errorType(e));
            // a point's attributes are its first execution's: the key holds every one of them that varies
            series.computeIfAbsent(e.side(), s -> new LinkedHashMap<>())
                    .computeIfAbsent(key, k -> new Point(e)).add(e.durationMicros() / 1e6);
        }
        ProtoWriter scopeMetrics = new ProtoWriter().message(1, scope);
        series.forEach((side, points) -> {
            ProtoWriter histogram = new ProtoWriter();
            points.values().forEach(p -> histogram.message(1, p.encode(startNanos, endNanos)));
            histogram.varint(2, TEMPORALITY_DELTA);
            scopeMetrics.message(2, new ProtoWriter()
                    .string(1, side == ExecutionSide.SERVED ? SERVER_DURATION : CLIENT_DURATION)
                    .string(2, side == ExecutionSide.SERVED ? "Duration of MCP requests the hub served"
                            : "Duration of the hub's MCP requests to servers")
                    .string(3, "s")
                    .message(9, histogram));
        });
        ProtoWriter resourceMetrics = new ProtoWriter().message(1, resource).message(2, scopeMetrics);
        return new ProtoWriter().message(1, resourceMetrics).toByteArray();
    }

    /** One histogram series of an export. */
    private final class Point {
        final ToolExecutionRecord first;
        final long[] buckets = new long[BOUNDS.length + 1];
        long count;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        Point(ToolExecutionRecord first) {
            this.first = first;
        }

        void add(double seconds) {
            int i = 0;
            while (i < BOUNDS.length && seconds > BOUNDS[i]) {
                i++; // OTLP buckets are (bound[i-1], bound[i]]
            }
            buckets[i]++;
            count++;
            sum += seconds;
            min = Math.min(min, seconds);
            max = Math.max(max, seconds);
        }

        ProtoWriter encode(long startNanos, long endNanos) {
            ProtoWriter p = new ProtoWriter();
            attributes(p, 9, first);
            return p.fixed64(2, startNanos).fixed64(3, endNanos).fixed64(4, count).float64(5, sum)
                    .packedFixed64(6, buckets).packedFloat64(7, BOUNDS).float64(11, min).float64(12, max);
        }
    }

    private static void attribute(ProtoWriter target, int field, String key, String value) {
        if (value != null) {
            target.message(field, new ProtoWriter().string(1, key).message(2, new ProtoWriter().string(1, value)));
        }
    }

    private static byte[] id(long high, long low) {
        byte[] b = new byte[16];
        put(b, 0, high);
        put(b, 8, low);
        return b;
    }

    private static byte[] id(long id) {
        byte[] b = new byte[8];
        put(b, 0, id);
        return b;
    }

    private static void put(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }
}
