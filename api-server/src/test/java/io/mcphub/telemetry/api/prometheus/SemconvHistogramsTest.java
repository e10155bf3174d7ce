package io.mcphub.telemetry.api.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.live.FeedItem;
import io.mcphub.telemetry.model.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus text of the OpenTelemetry MCP histograms: names, the convention's buckets, labels, cumulative counts. */
class SemconvHistogramsTest {
    private static final List<Map<String, Object>> SERVERS = List.of(
            Map.of("server_name", "github", "transport", "streamable-http", "protocol_version", "2025-06-18"),
            Map.of("server_name", "files", "transport", "stdio", "protocol_version", "2024-11-05"));

    private static FeedItem call(String server, String side, String tool, double ms, String outcome, String errorClass,
                                 String errorMessage) {
        Map<String, Object> d = new HashMap<>(Map.of("server_name", server, "tool_name", tool, "side", side,
                "duration_ms", ms, "outcome", outcome));
        d.put("error_class", errorClass);
        d.put("error_message", errorMessage);
        return new FeedItem(FeedItem.Kind.EXECUTION, 1, Instant.now(), server, d);
    }

    private static String scrape(TenantSeries t) {
        PromText out = new PromText();
        SemconvExposition.write(out, "acme", t, SERVERS);
        return out.toString();
    }

    private static List<String> lines(String text, String prefix) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.startsWith(prefix)) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void clientOperationDurationHasTheConventionsBucketsLabelsAndCumulativeCounts() {
        TenantSeries t = new TenantSeries();
        for (double ms : new double[] {5, 15, 15, 450, 2500, 400_000}) {
            t.offer(call("github", "downstream", "search", ms, "success", null, null), null);
        }
        String text = scrape(t);
        assertTrue(text.contains("# TYPE mcp_client_operation_duration_seconds histogram\n"), text);
        String labels = "tenant=\"acme\",server=\"github\",mcp_method_name=\"tools/call\",gen_ai_operation_name=\"execute_tool\","
                + "gen_ai_tool_name=\"search\",mcp_protocol_version=\"2025-06-18\",network_transport=\"tcp\",network_protocol_name=\"http\"";
        List<String> buckets = lines(text, "mcp_client_operation_duration_seconds_bucket{");
        List<String> expected = new ArrayList<>();
        String[] les = {"0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10", "30", "60", "120", "300", "+Inf"};
        long[] counts = {1, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5, 5, 6};
        for (int i = 0; i < les.length; i++) {
            expected.add("mcp_client_operation_duration_seconds_bucket{" + labels + ",le=\"" + les[i] + "\"} " + counts[i]);
        }
        assertEquals(expected, buckets);
        assertEquals(List.of("mcp_client_operation_duration_seconds_count{" + labels + "} 6"),
                lines(text, "mcp_client_operation_duration_seconds_count"));
        double sum = Double.parseDouble(lines(text, "mcp_client_operation_duration_seconds_sum").get(0).replaceAll(".* ", ""));
        assertEquals(402.985, sum, 1e-9);
    }

    @Test
    void failuresCarryErrorTypeAsTheConventionSaysAndSuccessesNone() {
        TenantSeries t = new TenantSeries();
        t.offer(call("files", "downstream", "read", 3, "tool_error", null, "no such file"), null);
        t.offer(call("files", "downstream", "read", 3, "protocol_error", "McpError", "Unknown tool (JSON-RPC error -32602)"), null);
        t.offer(call("files", "downstream", "read", 3, "exception", "java.io.IOException", "broken pipe"), null);
        t.offer(call("files", "downstream", "read", 3, "timeout", null, "no answer in 20 s"), null);
        t.offer(call("files", "downstream", "read", 3, "cancelled", null, "closed"), null);
        t.offer(call("files", "downstream", "read", 3, "success", null, null), null);
        t.offer(call("hub", "served", "read", 3, "exception", "JSONRPCError(-32603)", "internal"), null);
        t.offer(call("hub", "served", "read", 3, "protocol_error", null, null), null);
        String text = scrape(t);
        List<String> counts = lines(text, "mcp_client_operation_duration_seconds_count");
        for (String type : new String[] {"tool_error", "-32602", "java.io.IOException", "timeout", "cancelled"}) {
            assertTrue(counts.stream().anyMatch(l -> l.contains(",error_type=\"" + type + "\",") && l.endsWith(" 1")),
                    type + " in " + counts);
        }
        assertEquals(6, counts.size(), counts.toString());
        assertEquals(1, counts.stream().filter(l -> !l.contains("error_type")).count(), "success: no error_type");
        assertTrue(counts.stream().allMatch(l -> l.contains("network_transport=\"pipe\"") && !l.contains("network_protocol_name")),
                "stdio is a pipe: " + counts);
        List<String> served = lines(text, "mcp_server_operation_duration_seconds_count");
        assertEquals(List.of(
                "mcp_server_operation_duration_seconds_count{tenant=\"acme\",server=\"hub\",mcp_method_name=\"tools/call\","
                        + "gen_ai_operation_name=\"execute_tool\",gen_ai_tool_name=\"read\",error_type=\"-32603\"} 1",
                "mcp_server_operation_duration_seconds_count{tenant=\"acme\",server=\"hub\",mcp_method_name=\"tools/call\","
                        + "gen_ai_operation_name=\"execute_tool\",gen_ai_tool_name=\"read\",error_type=\"_OTHER\"} 1"), served);
    }

    @Test
    void errorTypeOfEachOutcome() {
        assertEquals(null, ErrorType.of(Outcome.SUCCESS, null, null));
        assertEquals("tool_error", ErrorType.of(Outcome.TOOL_ERROR, null, "x"));
        assertEquals("-32601", ErrorType.of(Outcome.PROTOCOL_ERROR, "McpError", "Method not found (JSON-RPC error -32601)"));
        assertEquals("InvalidCallToolResult", ErrorType.of(Outcome.PROTOCOL_ERROR, "InvalidCallToolResult", "result is a string"));
        assertEquals("-32000", ErrorType.of(Outcome.EXCEPTION, "JSONRPCError(-32000)", "x"));
        assertEquals("ProcessExited", ErrorType.of(Outcome.EXCEPTION, "ProcessExited", "exit 1"));
        assertEquals("_OTHER", ErrorType.of(Outcome.EXCEPTION, null, null));
        assertEquals("timeout", ErrorType.of(Outcome.TIMEOUT, null, null));
    }

    @Test
    void pastTheCapCallsGoToOverflowKeepingWhetherTheyFailed() {
        TenantSeries t = new TenantSeries();
        for (int i = 0; i < OperationDurations.MAX_SERIES; i++) {
            t.offer(call("github", "downstream", "tool-" + i, 1, "success", null, null), null);
        }
        t.offer(call("github", "downstream", "late", 1, "success", null, null), null);
        t.offer(call("github", "downstream", "later", 1, "exception", "java.io.EOFException", null), null);
        assertEquals(OperationDurations.MAX_SERIES + 2, t.operations.series.size());
        assertEquals(2, t.operations.droppedSeries.sum());
        String text = scrape(t);
        assertTrue(text.contains("server=\"_overflow\",mcp_method_name=\"tools/call\",gen_ai_operation_name=\"execute_tool\","
                + "gen_ai_tool_name=\"_overflow\",error_type=\"_OTHER\"} 1"), "failed overflow call");
        assertTrue(text.contains("mcp_telemetry_api_semconv_series_dropped_total{tenant=\"acme\"} 2"));
    }

    @Test
    void serverSessionDurationFromClosedSessions() {
        TenantSeries t = new TenantSeries();
        for (long ms : new long[] {30, 90_000}) {
            Map<String, Object> d = new HashMap<>(Map.of("event_type", "session.closed", "payload", Json.Raw.of(
                    "{\"reason\": \"client DELETE\", \"sessionId\": \"s1\", \"transport\": \"streamable-http\", \"durationMs\": " + ms
                            + ", \"clientName\": \"c\", \"protocolVersion\": \"2025-06-18\"}")));
            t.offer(new FeedItem(FeedItem.Kind.EVENT, 1, Instant.now(), null, d), null);
        }
        t.offer(new FeedItem(FeedItem.Kind.EVENT, 2, Instant.now(), null, new HashMap<>(Map.of("event_type", "session.opened",
                "payload", Json.Raw.of("{\"transport\": \"stdio\"}")))), null);
        String text = scrape(t);
        String labels = "tenant=\"acme\",mcp_protocol_version=\"2025-06-18\",network_transport=\"tcp\",network_protocol_name=\"http\"";
        assertTrue(text.contains("mcp_server_session_duration_seconds_bucket{" + labels + ",le=\"0.05\"} 1\n"), text);
        assertTrue(text.contains("mcp_server_session_duration_seconds_bucket{" + labels + ",le=\"60\"} 1\n"), text);
        assertTrue(text.contains("mcp_server_session_duration_seconds_bucket{" + labels + ",le=\"120\"} 2\n"), text);
        assertTrue(text.contains("mcp_server_session_duration_seconds_count{" + labels + "} 2\n"), text);
        assertFalse(text.contains("pipe"), "an opened session is no observation");
    }
}
