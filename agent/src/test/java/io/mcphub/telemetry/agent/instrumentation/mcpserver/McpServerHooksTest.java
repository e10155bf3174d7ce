package io.mcphub.telemetry.agent.instrumentation.mcpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.HubInstance;
import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.model.EventRecord;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.testing.InMemorySink;
import io.modelcontextprotocol.spec.FakeSdk.JSONRPCRequest;
import io.modelcontextprotocol.spec.FakeSdk.JSONRPCResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server hooks, fed SDK-shaped sessions and messages: calls clients make to the hub. */
class McpServerHooksTest {

    /** An SSE server session of the SDK's shape. */
    static final class FakeServerSession {
        private final Object transport;
        private final Object requestHandlers = new Object();
        private final String id;

        FakeServerSession(String id, Object transport) {
            this.id = id;
            this.transport = transport;
        }

        public String getId() {
            return id;
        }
    }

    static final class FakeSseServerTransport {
    }

    private InMemorySink sink;
    private McpHubTelemetry telemetry;

    @BeforeEach
    void start() {
        sink = new InMemorySink();
        telemetry = McpHubTelemetry.builder(TelemetryConfig.builder(Map.of(), new Properties()).tenant("acme")
                        .hubName("my-hub").set(ConfigOption.METRICS_INTERVAL_MS, "0").build())
                .sink(sink).shutdownHook(false).build().initialize(HubInstance.of("hub", "1", 1));
        AgentTelemetry.set(telemetry);
    }

    @AfterEach
    void stop() {
        AgentTelemetry.set(null);
        telemetry.close();
    }

    @Test
    void aClientsSessionAndToolCallsAreRecordedAsServedWithOneSpellingOfTheTransport() {
        FakeSseServerTransport transport = new FakeSseServerTransport();
        FakeServerSession session = new FakeServerSession("s-1", transport);
        McpServerHooks.sessionMessage(session, new JSONRPCRequest("initialize", 1, Map.of("protocolVersion", "2025-06-18",
                "clientInfo", Map.of("name", "claude", "version", "1.2"))));
        McpServerHooks.sessionMessage(session, new JSONRPCRequest("tools/call", 2, Map.of("name", "search")));
        McpServerHooks.sessionMessage(session, new JSONRPCRequest("tools/call", 3, Map.of("name", "boom")));
        McpServerHooks.handlerFailed(new JSONRPCRequest("tools/call", 3, Map.of("name", "boom")),
                new IllegalStateException("handler broke"));
        McpServerHooks.messageSent(transport, JSONRPCResponse.failed(3, -32603, "Internal error"));
        McpServerHooks.messageSent(new Object(), JSONRPCResponse.ok(2, Map.of()));
        McpServerHooks.messageSent(transport, JSONRPCResponse.ok(2, Map.of("content", List.of())));
        McpServerHooks.sessionClosing(session, "closeGracefully");

        List<ToolExecutionRecord> calls = sink.of(ToolExecutionRecord.class);
        assertEquals(List.of("boom:exception", "search:success"),
                calls.stream().map(c -> c.toolName() + ":" + c.outcome().sqlName()).toList(),
                "a response on another transport is not this call's");
        assertTrue(calls.stream().allMatch(c -> c.side() == ExecutionSide.SERVED && "my-hub".equals(c.serverName())
                && "s-1".equals(c.sessionId())));
        assertEquals("java.lang.IllegalStateException|handler broke", calls.get(0).errorClass() + "|"
                + calls.get(0).errorMessage());
        assertEquals(Outcome.EXCEPTION, McpServerHooks.errorOutcome(-32603));
        assertEquals(Outcome.PROTOCOL_ERROR, McpServerHooks.errorOutcome(-32602));
        List<EventRecord> events = sink.of(EventRecord.class);
        EventRecord opened = events.stream().filter(e -> e.eventType().equals("session.opened")).findFirst().orElseThrow();
        assertTrue(opened.payloadJson().contains("\"transport\":\"sse\"") && opened.payloadJson().contains("\"clientName\":\"claude\""),
                opened.payloadJson());
        assertTrue(events.stream().anyMatch(e -> e.eventType().equals("session.closed")
                && e.payloadJson().contains("\"reason\":\"closeGracefully\"")));
        assertEquals("streamable-http", McpServerHooks.transportOf(new StreamableHolder()).sqlName(),
                "the spelling every other record uses");
    }

    @Test
    void callsTheSdkNeverAnswersAreGivenUpCountedAndLoggedSoNewCallsAreStillRecorded() {
        FakeSseServerTransport transport = new FakeSseServerTransport();
        FakeServerSession session = new FakeServerSession("s-full", transport);
        long before = McpServerHooks.CALLS.evicted();
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            // e.g. "arguments":"zzz": the SDK never answers, so nothing ever finishes these calls
            int unanswered = McpServerHooks.MAX_IN_FLIGHT + 1_000;
            for (int i = 0; i < unanswered; i++) {
                McpServerHooks.sessionMessage(session, new JSONRPCRequest("tools/call", "zzz-" + i, Map.of("name", "never")));
            }
            assertTrue(McpServerHooks.CALLS.size() <= McpServerHooks.MAX_IN_FLIGHT, "bounded: " + McpServerHooks.CALLS.size());
            assertTrue(McpServerHooks.CALLS.evicted() - before >= 1_000, "given up and counted");
            McpServerHooks.sessionMessage(session, new JSONRPCRequest("tools/call", "fine", Map.of("name", "fine")));
            McpServerHooks.messageSent(transport, JSONRPCResponse.ok("fine", Map.of("content", List.of())));
            assertEquals(List.of("fine:success"), sink.of(ToolExecutionRecord.class).stream()
                    .map(c -> c.toolName() + ":" + c.outcome().sqlName()).toList(), "a new call is still recorded");
        } finally {
            System.setErr(err);
            McpServerHooks.CALLS.finishAll(c -> true);
        }
        String log = captured.toString();
        assertEquals(1, log.split("served MCP tool calls in flight", -1).length - 1, "logged once: " + log);
        assertTrue(log.contains("telemetry.mcp_server.calls_given_up"), log);
        assertEquals("telemetry.mcp_server.calls_given_up", McpServerHooks.CALLS.metric(), "the agent metric counting them");
    }

    /** Named like the SDK's streamable HTTP server transports. */
    static final class StreamableHolder {
    }
}
