package io.mcphub.telemetry.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.Transport;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.model.TraceIds;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the exporter POSTs, decoded with the official OTLP protobuf classes. */
class OtlpExporterTest {

    private static final long T0 = 1_767_225_600_000_000L; // 2026-01-01T00:00Z in µs
    private HttpServer server;
    private final BlockingQueue<Map.Entry<String, byte[]>> received = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI collector() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(Map.entry(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + type, body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/otlp/");
    }

    private static ToolExecutionRecord execution(String tool, long durationMicros, Outcome outcome, String errorClass,
                                                 ExecutionSide side, long traceLow, long span, long parent) {
        return new ToolExecutionRecord("acme", "hub-1", "java-tools", tool, T0, durationMicros, outcome, errorClass,
                outcome == Outcome.SUCCESS ? null : "it failed", 10, 20, "session-1", "req-" + span, null, null, side,
                0x0af7651916cd43ddL, traceLow, span, parent);
    }

    @Test
    void spansAndDurationHistogramsAreSentAsTheConventionsNameThem() throws Exception {
        // an export every 2 s: the four executions below are accepted well within one interval, so they are one export
        try (OtlpExporter exporter = new OtlpExporter(collector(), "demo-hub", "hub-1", "acme", "1.2.3",
                Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            exporter.accept(new ServerRecord("acme", "java-tools", "hub-1", Transport.STREAMABLE_HTTP, "http://x/mcp",
                    ServerStatus.CONNECTED, "0.1.0", "2025-06-18", "{}", null, java.time.Instant.now()));
            exporter.accept(execution("echo", 1_500, Outcome.SUCCESS, null, ExecutionSide.DOWNSTREAM, 1, 0x11, 0x01));
            exporter.accept(execution("echo", 250_000, Outcome.SUCCESS, null, ExecutionSide.DOWNSTREAM, 2, 0x12, 0));
            exporter.accept(execution("fail", 3_000, Outcome.TOOL_ERROR, null, ExecutionSide.DOWNSTREAM, 3, 0x13, 0));
            exporter.accept(execution("echo", 12_000_000, Outcome.EXCEPTION, "java.io.IOException", ExecutionSide.SERVED,
                    4, 0x14, 0x15));

            Map.Entry<String, byte[]> first = received.poll(20, TimeUnit.SECONDS);
            Map.Entry<String, byte[]> second = received.poll(20, TimeUnit.SECONDS);
            assertNotNull(second, "both requests arrive");
            assertEquals("POST /otlp/v1/traces application/x-protobuf", first.getKey());
            assertEquals("POST /otlp/v1/metrics application/x-protobuf", second.getKey());

            ExportTraceServiceRequest traces = ExportTraceServiceRequest.parseFrom(first.getValue());
            assertEquals(1, traces.getResourceSpansCount());
            Map<String, String> resource = strings(traces.getResourceSpans(0).getResource().getAttributesList());
            assertEquals(Map.of("service.name", "demo-hub", "service.instance.id", "hub-1", "service.version", "1.2.3",
                    "mcphub.tenant", "acme"), resource);
            assertEquals("io.mcphub.telemetry", traces.getResourceSpans(0).getScopeSpans(0).getScope().getName());
            List<Span> spans = traces.getResourceSpans(0).getScopeSpans(0).getSpansList();
            assertEquals(4, spans.size());

            Span echo = spans.get(0);
            assertEquals("tools/call echo", echo.getName());
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, echo.getKind());
            assertEquals(TraceIds.traceId(0x0af7651916cd43ddL, 1), hex(echo.getTraceId().toByteArray()));
            assertEquals(TraceIds.spanId(0x11), hex(echo.getSpanId().toByteArray()));
            assertEquals(TraceIds.spanId(0x01), hex(echo.getParentSpanId().toByteArray()));
            assertEquals(T0 * 1_000, echo.getStartTimeUnixNano());
            assertEquals(T0 * 1_000 + 1_500_000, echo.getEndTimeUnixNano());
            assertEquals(Map.of("mcp.method.name", "tools/call", "gen_ai.tool.name", "echo", "gen_ai.operation.name",
                    "execute_tool", "mcp.session.id", "session-1", "jsonrpc.request.id", "req-17",
                    "mcphub.server.name", "java-tools", "network.transport", "tcp", "mcp.protocol.version", "2025-06-18"),
                    strings(echo.getAttributesList()));
            assertEquals(Status.StatusCode.STATUS_CODE_UNSET, echo.getStatus().getCode());
            assertTrue(spans.get(1).getParentSpanId().isEmpty(), "no parent: a root span");

            Span failed = spans.get(2);
            assertEquals("tool_error", strings(failed.getAttributesList()).get("error.type"));
            assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.getStatus().getCode());
            assertEquals("it failed", failed.getStatus().getMessage());
            Span served = spans.get(3);
            assertEquals(Span.SpanKind.SPAN_KIND_SERVER, served.getKind());
            assertEquals("java.io.IOException", strings(served.getAttributesList()).get("error.type"));
            assertEquals(null, strings(served.getAttributesList()).get("network.transport"),
                    "the hub's own endpoint is not a server it reaches");

            ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.parseFrom(second.getValue());
            List<Metric> all = metrics.getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
            assertEquals(List.of("mcp.client.operation.duration", "mcp.server.operation.duration"),
                    all.stream().map(Metric::getName).toList());
            Metric client = all.get(0);
            assertEquals("s", client.getUnit());
            assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, client.getHistogram().getAggregationTemporality());
            List<HistogramDataPoint> points = client.getHistogram().getDataPointsList();
            assertEquals(2, points.size());
            HistogramDataPoint echoPoint = points.get(0);
            assertEquals(Map.of("mcp.method.name", "tools/call", "gen_ai.tool.name", "echo", "mcphub.server.name",
                    "java-tools", "network.transport", "tcp", "mcp.protocol.version", "2025-06-18"),
                    strings(echoPoint.getAttributesList()));
            assertEquals(2, echoPoint.getCount());
            assertEquals(0.2515, echoPoint.getSum(), 1e-9);
            assertEquals(List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0),
                    echoPoint.getExplicitBoundsList());
            assertEquals(List.of(1L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), echoPoint.getBucketCountsList());
            assertEquals(0.0015, echoPoint.getMin(), 1e-12);
            assertEquals(0.25, echoPoint.getMax(), 1e-12);
            assertTrue(echoPoint.getTimeUnixNano() > echoPoint.getStartTimeUnixNano());
            assertEquals("tool_error", strings(points.get(1).getAttributesList()).get("error.type"));
            HistogramDataPoint servedPoint = all.get(1).getHistogram().getDataPoints(0);
            assertEquals(1, servedPoint.getCount());
            assertEquals(1, servedPoint.getBucketCounts(10), "12 s is in (10, 30]");

            awaitTrue(() -> exporter.exported() == 4, "4 exported");
            assertEquals(0, exporter.dropped());
        }
    }

    @Test
    void anEndpointThatIsDownCostsTheHubNothingAndEveryLossIsCounted() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OtlpExporter exporter = new OtlpExporter(URI.create("http://127.0.0.1:" + port), "demo-hub", "hub-1", "acme",
                null, Duration.ofMillis(50), Duration.ofSeconds(1));
        int n = OtlpExporter.QUEUE_CAPACITY * 2;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            exporter.accept(execution("echo", 1_000, Outcome.SUCCESS, null, ExecutionSide.DOWNSTREAM, i + 1, i + 1, 0));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "offering never waits");
        awaitTrue(() -> exporter.dropped() == n, "every execution counted as dropped: " + exporter.dropped());
        long closing = System.nanoTime();
        exporter.close();
        assertTrue(System.nanoTime() - closing < TimeUnit.SECONDS.toNanos(4), "close is bounded");
        assertEquals(0, exporter.exported());
    }

    @Test
    void anEndpointThatDoesNotAnswerIsGivenUpWithinTheTimeoutAndCloseIsBounded() throws Exception {
        URI endpoint = collector();
        server.removeContext("/");
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        server.createContext("/", exchange -> {
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        OtlpExporter exporter = new OtlpExporter(endpoint, "demo-hub", "hub-1", "acme", null, Duration.ofMillis(50),
                Duration.ofMillis(500));
        exporter.accept(execution("echo", 1_000, Outcome.SUCCESS, null, ExecutionSide.DOWNSTREAM, 1, 1, 0));
        awaitTrue(() -> exporter.dropped() == 1, "the unanswered batch is dropped");
        exporter.accept(execution("echo", 1_000, Outcome.SUCCESS, null, ExecutionSide.DOWNSTREAM, 2, 2, 0));
        long closing = System.nanoTime();
        exporter.close();
        assertTrue(System.nanoTime() - closing < TimeUnit.SECONDS.toNanos(4), "close is bounded");
        assertEquals(0, exporter.exported());
        answer.countDown(); // the collector's one handler thread, so that it can stop
    }

    private static Map<String, String> strings(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
