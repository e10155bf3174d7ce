package io.mcphub.telemetry.it;

import static io.mcphub.telemetry.it.McpClientPeers.callRest;
import static io.mcphub.telemetry.it.McpClientPeers.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.mcphub.telemetry.it.McpClientPeers.Reply;
import io.mcphub.telemetry.testing.TestDatabase;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * W3C trace context from the hub to a real MCP server (the Java SDK tool server, whose {@code meta} tool
 * answers with the {@code _meta} it received): the traceparent it gets is the one stored with the
 * execution; with the real OpenTelemetry Java agent attached beside ours, that trace is the one the
 * OpenTelemetry agent started for the hub's HTTP request, as its logging exporter shows. A client of
 * the hub's own MCP endpoint that sends a traceparent gets its served call recorded as a child; and with
 * {@code otlp.endpoint} set, the spans and histograms of those calls reach a collector.
 */
class TraceContextTest {

    private static final Path OTEL_AGENT = Path.of(System.getProperty("it.otelAgentJar",
            "target/otel/opentelemetry-javaagent.jar"));
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0([01])");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestDatabase db;
    private static JvmProcess toolServer;
    private static Path config;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        db = TestDatabase.create();
        toolServer = JvmProcess.javaToolServer("trace-java-tools");
        McpClientPeers.warmUp(toolServer.url());
        config = dir.resolve("servers.json");
        Files.writeString(config, McpClientPeers.configJson(List.of(
                "\"java-tools\": {\"url\": " + quote(toolServer.url() + "/mcp") + "}")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (toolServer != null) {
            toolServer.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theServerReceivesTraceparentInMetaTheExecutionStoresItsIdsAndOtlpExportsThem() throws Exception {
        BlockingQueue<Map.Entry<String, byte[]>> posted = new LinkedBlockingQueue<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            posted.add(Map.entry(exchange.getRequestURI().getPath(), exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        String otlp = ",otlp.endpoint=http://127.0.0.1:" + collector.getAddress().getPort() + ",otlp.intervalMs=200";
        try (JvmProcess hub = JvmProcess.hub("trace-hub", config, Db.agentArgs(db, "trace") + otlp)) {
            Matcher first = sentTraceparent(hub);
            Matcher second = sentTraceparent(hub);
            assertEquals("1", first.group(3), "a trace begun by the agent is sampled: every call is recorded");
            assertNotEquals(first.group(1), second.group(1), "outside any trace, each call begins its own");

            List<List<String>> rows = Db.await(db, "SELECT trace_id, span_id, coalesce(parent_span_id, '-') "
                    + "FROM tool_executions WHERE tenant_id = 'trace' AND tool_name = 'meta' ORDER BY started_at",
                    r -> r.size() == 2, WAIT);
            assertEquals(List.of(first.group(1), first.group(2), "-"), rows.get(0));
            assertEquals(List.of(second.group(1), second.group(2), "-"), rows.get(1));
            // the other requests of the session (initialize, tools/list) carried context too: no error was logged
            assertTrue(hub.output.stream().noneMatch(l -> l.contains("mcp-client-send")), String.join("\n", hub.output));

            // a client of the hub's own MCP endpoint sends its traceparent: the served call is its child
            String callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
            String callerSpan = "00f067aa0ba902b7";
            McpSyncClient client = McpClientPeers.hubClient(hub, "traced-client");
            try {
                client.callTool(new McpSchema.CallToolRequest("java-tools__echo", Map.of("text", "hi"),
                        Map.of("traceparent", "00-" + callerTrace + "-" + callerSpan + "-01")));
            } finally {
                client.closeGracefully();
            }
            List<String> served = Db.await(db, "SELECT trace_id, span_id, parent_span_id FROM tool_executions "
                    + "WHERE tenant_id = 'trace' AND side = 'served'", r -> r.size() == 1, WAIT).get(0);
            assertEquals(callerTrace, served.get(0));
            assertEquals(callerSpan, served.get(2));
            assertTrue(served.get(1).matches("[0-9a-f]{16}") && !served.get(1).equals(callerSpan), served.toString());

            // OTLP: the spans and histograms of those calls, decoded with the official classes
            List<Span> spans = new ArrayList<>();
            Map<String, Long> counts = new HashMap<>();
            Db.awaitTrue(() -> {
                for (Map.Entry<String, byte[]> p; (p = posted.poll()) != null; ) {
                    read(p, spans, counts);
                }
                return spans.stream().filter(sp -> sp.getKind() == Span.SpanKind.SPAN_KIND_SERVER).count() == 1
                        && counts.getOrDefault("mcp.client.operation.duration meta", 0L) == 2
                        && counts.containsKey("mcp.server.operation.duration java-tools__echo");
            }, WAIT, "the OTLP export of the calls");
            Span meta = spans.stream().filter(sp -> hex(sp.getSpanId()).equals(first.group(2))).findFirst().orElseThrow();
            assertEquals("tools/call meta", meta.getName());
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, meta.getKind());
            assertEquals(first.group(1), hex(meta.getTraceId()));
            assertTrue(meta.getParentSpanId().isEmpty());
            Span servedSpan = spans.stream().filter(sp -> sp.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst()
                    .orElseThrow();
            assertEquals("tools/call java-tools__echo", servedSpan.getName());
            assertEquals(List.of(callerTrace, served.get(1), callerSpan), List.of(hex(servedSpan.getTraceId()),
                    hex(servedSpan.getSpanId()), hex(servedSpan.getParentSpanId())));
            assertEquals(1L, counts.get("mcp.server.operation.duration java-tools__echo"));
        } finally {
            collector.stop(0);
        }
    }

    /** One OTLP request: its spans, and the histogram counts by metric and tool. */
    private static void read(Map.Entry<String, byte[]> post, List<Span> spans, Map<String, Long> counts) {
        try {
            if (post.getKey().equals("/v1/traces")) {
                ExportTraceServiceRequest r = ExportTraceServiceRequest.parseFrom(post.getValue());
                r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
            } else {
                ExportMetricsServiceRequest r = ExportMetricsServiceRequest.parseFrom(post.getValue());
                r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList()
                        .forEach(m -> m.getHistogram().getDataPointsList().forEach(p -> counts.merge(m.getName() + " "
                                + p.getAttributesList().stream().filter(a -> a.getKey().equals("gen_ai.tool.name"))
                                .findFirst().orElseThrow().getValue().getStringValue(), p.getCount(), Long::sum)))));
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("not OTLP protobuf: " + post.getKey(), e);
        }
    }

    private static String hex(com.google.protobuf.ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    @Test
    void besideTheOpenTelemetryJavaAgentTheMcpCallContinuesTheHubsTrace() throws Exception {
        assertTrue(Files.isRegularFile(OTEL_AGENT), "the OpenTelemetry Java agent is at " + OTEL_AGENT);
        List<String> otel = List.of("-javaagent:" + OTEL_AGENT.toAbsolutePath(), "-Dotel.service.name=demo-hub",
                "-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none");
        try (JvmProcess hub = JvmProcess.hub("trace-hub-otel", config, Db.agentArgs(db, "trace-otel"), otel, Map.of())) {
            Matcher sent = sentTraceparent(hub);
            String traceId = sent.group(1);
            String spanId = sent.group(2);

            List<List<String>> rows = Db.await(db, "SELECT trace_id, span_id, parent_span_id FROM tool_executions "
                    + "WHERE tenant_id = 'trace-otel' AND tool_name = 'meta'", r -> r.size() == 1, WAIT);
            assertEquals(traceId, rows.get(0).get(0));
            assertEquals(spanId, rows.get(0).get(1));
            String parent = rows.get(0).get(2);
            assertTrue(parent != null && parent.matches("[0-9a-f]{16}"), "the hub's span is the parent: " + parent);

            // LoggingSpanExporter: '<name>' : <trace id> <span id> <kind> [tracer: ...] ...
            Pattern serverSpan = Pattern.compile("LoggingSpanExporter - '([^']*)' : " + traceId + " ([0-9a-f]{16}) SERVER ");
            Db.awaitTrue(() -> hub.output.stream().anyMatch(l -> serverSpan.matcher(l).find()), WAIT,
                    "the OpenTelemetry agent's server span of the hub's HTTP request, in trace " + traceId);
            String line = hub.output.stream().filter(l -> serverSpan.matcher(l).find()).findFirst().orElseThrow();
            Matcher m = serverSpan.matcher(line);
            assertTrue(m.find());
            assertTrue(m.group(1).startsWith("POST"), line);
            assertEquals(parent, m.group(2), "our MCP client span is a child of the OpenTelemetry agent's server span: "
                    + line);
        }
    }

    /** Calls the {@code meta} tool through the hub; the traceparent the server received. */
    private static Matcher sentTraceparent(JvmProcess hub) throws Exception {
        Reply reply = callRest(hub, "java-tools", "meta", "{}");
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.body().contains("traceparent"), reply.body());
        Matcher m = TRACEPARENT.matcher(reply.body());
        assertTrue(m.find(), reply.body());
        return m;
    }
}
