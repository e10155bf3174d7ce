package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.HubInstance;
import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.model.EventRecord;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.LogLevel;
import io.mcphub.telemetry.model.LogRecord;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.model.ToolRecord;
import io.mcphub.telemetry.model.Transport;
import io.mcphub.telemetry.testing.InMemorySink;
import io.modelcontextprotocol.spec.FakeSdk.FakeStdioClientTransport;
import io.modelcontextprotocol.spec.FakeSdk.FakeStreamableHttpClientTransport;
import io.modelcontextprotocol.spec.FakeSdk.JSONRPCNotification;
import io.modelcontextprotocol.spec.FakeSdk.JSONRPCRequest;
import io.modelcontextprotocol.spec.FakeSdk.JSONRPCResponse;
import io.modelcontextprotocol.spec.FakeSdk.McpClientSession;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client hooks, fed SDK-shaped messages as the advice would, recording into memory. */
class McpClientHooksTest {

    private InMemorySink sink;
    private McpHubTelemetry telemetry;
    private final String prefix = UUID.randomUUID().toString().substring(0, 8) + "-";

    @BeforeEach
    void start() {
        sink = new InMemorySink();
        telemetry = McpHubTelemetry.builder(TelemetryConfig.builder(Map.of(), new Properties()).tenant("acme")
                        .set(ConfigOption.METRICS_INTERVAL_MS, "0").set(ConfigOption.CAPTURE_PAYLOADS, "true").build())
                .sink(sink).shutdownHook(false).build().initialize(HubInstance.of("hub", "1", 1));
        AgentTelemetry.set(telemetry);
    }

    @AfterEach
    void stop() {
        AgentTelemetry.set(null);
        telemetry.close();
    }

    /** A host name of this test only (names are given per endpoint for the whole JVM). */
    private String host() {
        return prefix.replace("-", "");
    }

    private String id(int n) {
        return prefix + n;
    }

    /** A streamable HTTP server answering initialize as "files" 2.0. */
    private FakeStreamableHttpClientTransport connected(McpClientSession session, FakeStreamableHttpClientTransport t) {
        McpClientRequests.onSend(t, new JSONRPCRequest("initialize", id(0), Map.of("protocolVersion", "2025-06-18")));
        McpClientResponses.onIncoming(session, JSONRPCResponse.ok(id(0), Map.of("protocolVersion", "2025-06-18",
                "serverInfo", Map.of("name", "files", "version", "2.0"), "capabilities", Map.of("tools", Map.of()))));
        return t;
    }

    @Test
    void aServerIsNamedAtInitializeAndEachToolCallEndsAsItsOutcome() {
        FakeStreamableHttpClientTransport t = new FakeStreamableHttpClientTransport("http://user:pw@files.example:8443",
                "/mcp?key=secret");
        McpClientSession session = new McpClientSession(t, Duration.ofSeconds(30));
        McpClientLifecycle.onSessionCreated(session);
        // a call completed before the server's name is known waits for it
        McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(9), Map.of("name", "early", "arguments", Map.of())));
        McpClientResponses.onIncoming(session, JSONRPCResponse.ok(id(9), Map.of("content", List.of())));
        assertTrue(sink.of(ToolExecutionRecord.class).isEmpty(), "not recorded before the server has a name");
        connected(session, t);
        t.session("mcp-session-7");

        McpClientRequests.onSend(t, new JSONRPCRequest("tools/list", id(1), null));
        McpClientResponses.onIncoming(session, JSONRPCResponse.ok(id(1), Map.of("tools", List.of(
                Map.of("name", "read", "description", "reads"), Map.of("name", "write")))));
        McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(2), Map.of("name", "read",
                "arguments", Map.of("path", "/tmp/x", "token", "hunter2"))));
        McpClientResponses.onIncoming(session, JSONRPCResponse.ok(id(2), Map.of("content",
                List.of(Map.of("type", "text", "text", "hello")))));
        McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(3), Map.of("name", "write", "arguments", Map.of())));
        McpClientResponses.onIncoming(session, JSONRPCResponse.ok(id(3), Map.of("isError", true, "content",
                List.of(Map.of("type", "text", "text", "disk full")))));
        McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(4), Map.of("name", "nope", "arguments", Map.of())));
        McpClientResponses.onIncoming(session, JSONRPCResponse.failed(id(4), -32602, "Unknown tool: nope"));
        McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(5), Map.of("name", "read", "arguments", Map.of())));
        McpClientRequests.onSend(t, new JSONRPCNotification("notifications/cancelled", Map.of("requestId", id(5),
                "reason", "user pressed stop")));

        ServerRecord server = sink.of(ServerRecord.class).get(0);
        assertEquals("files", server.serverName());
        assertEquals(Transport.STREAMABLE_HTTP, server.transport());
        assertEquals("http://files.example:8443/mcp?key=[REDACTED]", server.endpoint(), "no user info, no query values");
        assertEquals("2.0|2025-06-18|connected", server.serverVersion() + "|" + server.protocolVersion() + "|"
                + server.status().sqlName());
        assertEquals(List.of("read", "write"), sink.of(ToolRecord.class).stream().map(ToolRecord::toolName).toList());

        List<ToolExecutionRecord> calls = sink.of(ToolExecutionRecord.class);
        assertEquals(List.of("early:success", "read:success", "write:tool_error", "nope:protocol_error", "read:cancelled"),
                calls.stream().map(c -> c.toolName() + ":" + c.outcome().sqlName()).toList());
        ToolExecutionRecord read = calls.get(1);
        assertEquals("files", read.serverName());
        assertEquals(ExecutionSide.DOWNSTREAM, read.side());
        assertEquals("mcp-session-7", read.sessionId());
        assertEquals(id(2), read.requestId());
        assertEquals(Integer.valueOf("{\"path\":\"/tmp/x\",\"token\":\"hunter2\"}".length()), read.argumentBytes(),
                "sizes of the JSON as sent");
        assertTrue(read.arguments().contains("\"token\":\"[REDACTED]\"") && !read.arguments().contains("hunter2"),
                read.arguments());
        assertTrue(read.result().contains("hello"), read.result());
        assertEquals("disk full", calls.get(2).errorMessage());
        assertEquals("Unknown tool: nope (JSON-RPC error -32602)", calls.get(3).errorMessage());
        assertEquals("McpError", calls.get(3).errorClass());
        assertEquals("cancelled by the client: user pressed stop", calls.get(4).errorMessage());
        assertTrue(calls.stream().allMatch(c -> c.durationMicros() >= 1));
    }

    @Test
    void anUnansweredCallTimesOutAfterTheSessionsOwnRequestTimeout() {
        FakeStreamableHttpClientTransport t = new FakeStreamableHttpClientTransport("http://slow:1", "/mcp");
        McpClientSession session = new McpClientSession(t, Duration.ofMillis(1_500));
        McpClientLifecycle.onSessionCreated(session);
        connected(session, t);
        long sent = System.nanoTime();
        McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(1), Map.of("name", "sleep", "arguments", Map.of())));
        McpClientSingletons.sweep(sent + Duration.ofMillis(1_000).toNanos());
        assertTrue(sink.of(ToolExecutionRecord.class).isEmpty(), "still within the timeout");
        McpClientSingletons.sweep(sent + Duration.ofSeconds(60).toNanos());
        ToolExecutionRecord call = sink.of(ToolExecutionRecord.class).get(0);
        assertEquals(Outcome.TIMEOUT, call.outcome());
        assertEquals("no response within 1500 ms", call.errorMessage());
        assertTrue(call.durationMicros() >= 1_500_000 && call.durationMicros() < 1_600_000, "timed at the SDK's timeout: "
                + call.durationMicros());
    }

    @Test
    void aFailedSendCountsAsExceptionAndTheServerAsDisconnectedUntilItAnswersAgain() {
        FakeStreamableHttpClientTransport t = new FakeStreamableHttpClientTransport("http://flaky:1", "/mcp");
        McpClientSession session = new McpClientSession(t, Duration.ofSeconds(30));
        connected(session, t);
        McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(1), Map.of("name", "get", "arguments", Map.of())));
        McpClientLifecycle.onSendFailed(session, id(1), new RuntimeException("send failed",
                new IOException("Connection refused")));
        McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(2), Map.of("name", "get", "arguments", Map.of())));
        McpClientResponses.onIncoming(session, JSONRPCResponse.ok(id(2), Map.of("content", List.of())));

        ToolExecutionRecord failed = sink.of(ToolExecutionRecord.class).get(0);
        assertEquals(Outcome.EXCEPTION, failed.outcome());
        assertEquals("java.lang.RuntimeException", failed.errorClass());
        assertEquals("RuntimeException: send failed <- IOException: Connection refused", failed.errorMessage());
        assertEquals(List.of(ServerStatus.CONNECTED, ServerStatus.DISCONNECTED, ServerStatus.CONNECTED),
                sink.of(ServerRecord.class).stream().map(ServerRecord::status).toList());
    }

    @Test
    void closingTheSessionOrTheTransportCancelsWhatWaitsAndDisconnects() {
        FakeStreamableHttpClientTransport t = new FakeStreamableHttpClientTransport("http://closing:1", "/mcp");
        McpClientSession session = new McpClientSession(t, Duration.ofSeconds(30));
        connected(session, t);
        McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(1), Map.of("name", "a", "arguments", Map.of())));
        session.waitsFor(id(1));
        McpClientLifecycle.onSessionDismiss(session);
        McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(2), Map.of("name", "b", "arguments", Map.of())));
        McpClientLifecycle.onTransportClose(t);
        McpClientLifecycle.onTransportClose(t);

        assertEquals(List.of("a:MCP session with server terminated", "b:connection closed by the hub"),
                sink.of(ToolExecutionRecord.class).stream().map(c -> c.toolName() + ":" + c.errorMessage()).toList());
        assertTrue(sink.of(ToolExecutionRecord.class).stream().allMatch(c -> c.outcome() == Outcome.CANCELLED));
        List<ServerRecord> states = sink.of(ServerRecord.class);
        assertEquals(ServerStatus.DISCONNECTED, states.get(states.size() - 1).status());
        assertEquals(2, states.size(), "closed once, recorded once");
    }

    @Test
    void aStdioServerIsDescribedByItsCommandWithSecretsHiddenAndItsLogsAndListChangesAreKept() {
        FakeStdioClientTransport t = new FakeStdioClientTransport("npx", List.of("-y", "server-github", "--token",
                "ghp_secret", "--api-key=abc"));
        McpClientSession session = new McpClientSession(t, Duration.ofSeconds(30));
        McpClientRequests.onSend(t, new JSONRPCRequest("initialize", id(0), Map.of()));
        McpClientResponses.onIncoming(session, JSONRPCResponse.ok(id(0), Map.of("serverInfo", Map.of("name", "github"))));
        McpClientResponses.onIncoming(session, new JSONRPCNotification("notifications/message", Map.of("level", "warning",
                "logger", "rate", "data", Map.of("remaining", 3))));
        McpClientResponses.onIncoming(session, new JSONRPCNotification("notifications/tools/list_changed", null));

        ServerRecord server = sink.of(ServerRecord.class).get(0);
        assertEquals(Transport.STDIO, server.transport());
        assertEquals("npx -y server-github --token [REDACTED] --api-key=[REDACTED]", server.endpoint());
        LogRecord log = sink.of(LogRecord.class).get(0);
        assertEquals("github|warning|rate|{\"remaining\":3}", log.serverName() + "|" + log.level().sqlName() + "|"
                + log.logger() + "|" + log.message());
        assertEquals(LogLevel.WARNING, log.level());
        assertTrue(sink.of(EventRecord.class).stream().anyMatch(e -> e.eventType().equals("tools.list_changed")
                && "github".equals(e.serverName())));
    }

    @Test
    void aResultThatIsNotAJsonObjectIsAProtocolErrorNotASuccess() {
        FakeStreamableHttpClientTransport t = new FakeStreamableHttpClientTransport("http://odd:1", "/mcp");
        McpClientSession session = new McpClientSession(t, Duration.ofSeconds(30));
        McpClientLifecycle.onSessionCreated(session);
        connected(session, t);
        Object[] results = {"just a string", 42, List.of("a"), null};
        for (int i = 0; i < results.length; i++) {
            McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(20 + i), Map.of("name", "odd", "arguments", Map.of())));
            McpClientResponses.onIncoming(session, JSONRPCResponse.ok(id(20 + i), results[i]));
        }
        List<ToolExecutionRecord> calls = sink.of(ToolExecutionRecord.class);
        assertEquals(List.of("protocol_error", "protocol_error", "protocol_error", "protocol_error"),
                calls.stream().map(c -> c.outcome().sqlName()).toList());
        ToolExecutionRecord string = calls.get(0);
        assertEquals(McpClientResponses.INVALID_RESULT, string.errorClass());
        assertEquals("tools/call result is a JSON string, not a CallToolResult object", string.errorMessage());
        assertEquals(Integer.valueOf("\"just a string\"".length()), string.resultBytes());
        assertEquals("tools/call result is null, not a CallToolResult object", calls.get(3).errorMessage());
        McpClientLifecycle.onTransportClose(t);
    }

    @Test
    void moreCallsInFlightThanTheBoundGiveUpTheOldestCountedAndKeepRecordingNewOnes() {
        FakeStreamableHttpClientTransport t = new FakeStreamableHttpClientTransport("http://busy:1", "/mcp");
        McpClientSession session = new McpClientSession(t, Duration.ofHours(1));
        McpClientLifecycle.onSessionCreated(session);
        connected(session, t);
        long before = McpClientSingletons.CALLS.evicted();
        int n = McpClientSingletons.MAX_IN_FLIGHT + 5;
        for (int i = 1; i <= n; i++) {
            McpClientRequests.onSend(t, new JSONRPCRequest("tools/call", id(i), Map.of("name", "t", "arguments", Map.of())));
        }
        assertTrue(McpClientSingletons.CALLS.evicted() - before >= 5, "the oldest were given up and counted");
        McpClientResponses.onIncoming(session, JSONRPCResponse.ok(id(n), Map.of("content", List.of())));
        assertEquals(1, sink.of(ToolExecutionRecord.class).size(), "the newest call is still recorded");
        assertNull(McpClientSingletons.CALLS.finish(id(1)), "the oldest is no longer tracked");
        McpClientLifecycle.onTransportClose(t);
    }

    @Test
    void theConfiguredNameOrTheHubsConnectionNameIsKnownBeforeTheServerAnswersAndWins() {
        telemetry.close();
        sink = new InMemorySink();
        telemetry = McpHubTelemetry.builder(TelemetryConfig.builder(Map.of(), new Properties()).tenant("acme")
                        .set(ConfigOption.METRICS_INTERVAL_MS, "0")
                        .set(ConfigOption.SERVER_NAMES, "billing=http://billing" + host() + "*").build())
                .sink(sink).shutdownHook(false).build().initialize(HubInstance.of("hub", "1", 1));
        AgentTelemetry.set(telemetry);
        FakeStreamableHttpClientTransport billing = new FakeStreamableHttpClientTransport("http://billing" + host()
                + ":1", "/mcp");
        McpClientSession session = new McpClientSession(billing, Duration.ofSeconds(30));
        McpClientRequests.onSend(billing, new JSONRPCRequest("initialize", id(0), Map.of("clientInfo",
                Map.of("name", "spring-ai-mcp-client - payments", "title", "payments"))));
        McpClientResponses.onIncoming(session, new JSONRPCNotification("notifications/message", Map.of("level", "info",
                "data", "early log")));
        assertEquals("billing", sink.of(LogRecord.class).get(0).serverName(), "named before initialize answered");
        McpClientResponses.onIncoming(session, JSONRPCResponse.ok(id(0), Map.of("serverInfo", Map.of("name", "billing-svc"))));

        FakeStreamableHttpClientTransport spring = new FakeStreamableHttpClientTransport("http://spring" + host() + ":1",
                "/mcp");
        McpClientSession springSession = new McpClientSession(spring, Duration.ofSeconds(30));
        McpClientRequests.onSend(spring, new JSONRPCRequest("initialize", id(1), Map.of("clientInfo",
                Map.of("name", "spring-ai-mcp-client - weather", "title", "weather"))));
        McpClientResponses.onIncoming(springSession, JSONRPCResponse.ok(id(1), Map.of("serverInfo",
                Map.of("name", "mcp-weather-server"))));

        assertEquals(List.of("billing:connected", "weather:connected"), sink.of(ServerRecord.class).stream()
                .map(r -> r.serverName() + ":" + r.status().sqlName()).toList());
        McpClientLifecycle.onTransportClose(billing);
        McpClientLifecycle.onTransportClose(spring);
    }

    @Test
    void aConnectionRefusedAtInitializeIsAFailedServerNamedByItsEndpointWithTheErrorScrubbed() {
        FakeStreamableHttpClientTransport t = new FakeStreamableHttpClientTransport("http://refused" + host() + ":7",
                "/mcp");
        McpClientSession session = new McpClientSession(t, Duration.ofSeconds(30));
        McpClientRequests.onSend(t, new JSONRPCRequest("initialize", id(0), Map.of("clientInfo", Map.of("name", "hub"))));
        McpClientLifecycle.onSendFailed(session, id(0), new RuntimeException("POST http://refused/mcp?token=s3cr3t failed",
                new java.net.ConnectException("Connection refused")));

        ServerRecord failed = sink.of(ServerRecord.class).get(0);
        assertEquals("refused" + host() + ":7", failed.serverName());
        assertEquals(ServerStatus.FAILED, failed.status());
        assertTrue(failed.lastError().contains("ConnectException: Connection refused"), failed.lastError());
        assertTrue(!failed.lastError().contains("s3cr3t"), failed.lastError());
        EventRecord event = sink.of(EventRecord.class).stream().filter(e -> e.eventType().equals("server.connect_failed"))
                .findFirst().orElseThrow();
        assertEquals(failed.serverName(), event.serverName());
        assertTrue(!event.payloadJson().contains("s3cr3t"), event.payloadJson());
        assertEquals(ServerStatus.FAILED, sink.of(io.mcphub.telemetry.model.ServerStatusRecord.class).get(0).status());
    }

    @Test
    void aStdioServerWhoseProcessDiesAtStartIsFailedWithItsExitCode() throws Exception {
        FakeStdioClientTransport t = new FakeStdioClientTransport("/opt/mcp/dies-" + prefix, List.of("--port", "1"));
        McpClientRequests.onSend(t, new JSONRPCRequest("initialize", id(0), Map.of()));
        Process p = new ProcessBuilder("sh", "-c", "exit 3").start();
        t.started(p); // after initialize was sent, as the SDK starts it on another thread
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sink.of(ServerRecord.class).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ServerRecord failed = sink.of(ServerRecord.class).get(0);
        assertEquals(ServerStatus.FAILED, failed.status());
        assertEquals("dies-" + prefix, failed.serverName(), "named by its command");
        assertEquals("initialize: server process " + p.pid() + " exited with code 3 before answering", failed.lastError());
        assertNull(McpClientSingletons.CALLS.finish(id(0)), "the initialize call is over");
        McpClientLifecycle.onTransportClose(t); // the hub gives up on it
        assertEquals(List.of(ServerStatus.FAILED), sink.of(ServerRecord.class).stream().map(ServerRecord::status).toList(),
                "a server that never connected stays failed");
    }
}
