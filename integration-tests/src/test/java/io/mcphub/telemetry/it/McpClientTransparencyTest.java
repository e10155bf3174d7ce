package io.mcphub.telemetry.it;

import static io.mcphub.telemetry.it.McpClientPeers.EVERYTHING;
import static io.mcphub.telemetry.it.McpClientPeers.callRest;
import static io.mcphub.telemetry.it.McpClientPeers.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.it.McpClientPeers.NodeServer;
import io.mcphub.telemetry.it.McpClientPeers.Reply;
import io.mcphub.telemetry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instrumented hub answers exactly like the plain one: the same REST calls give byte-identical
 * bodies with and without the agent, over stdio, streamable HTTP and SSE; and the agent saw those calls.
 */
class McpClientTransparencyTest {

    private static final String TENANT = "transparency";

    /** server, tool, arguments: deterministic tools only, including errors. */
    private static final List<String[]> CALLS = List.of(
            new String[] {"java-tools", "echo", "{\"text\":\"héllo \\u2603 \\\"quoted\\\"\"}"},
            new String[] {"java-tools", "add", "{\"a\":40,\"b\":2}"},
            new String[] {"java-tools", "fail", "{}"},
            new String[] {"java-tools", "throw", "{}"},
            new String[] {"java-tools", "no-such-tool", "{}"},
            new String[] {"everything", "echo", "{\"message\":\"stdio says hi\"}"},
            new String[] {"everything", "get-sum", "{\"a\":1,\"b\":2}"},
            new String[] {"everything-sse", "echo", "{\"message\":\"sse says hi\"}"});

    private static boolean staleConnection(Reply reply) {
        return reply.status() == 502 && reply.body().contains("header parser received no bytes");
    }

    @Test
    void restResponsesAreByteIdenticalWithAndWithoutTheAgent(@TempDir Path dir) throws Exception {
        TestDatabase db = TestDatabase.create();
        try (JvmProcess toolServer = JvmProcess.javaToolServer("transparency-java-tools");
             NodeServer sse = NodeServer.start("transparency-everything-sse", "sse")) {
            Path config = dir.resolve("servers.json");
            Files.writeString(config, McpClientPeers.configJson(List.of(
                    "\"everything\": {\"command\": \"node\", \"args\": [" + quote(EVERYTHING.toString()) + ", \"stdio\"]}",
                    "\"everything-sse\": {\"url\": " + quote(sse.url("/sse")) + ", \"transport\": \"sse\"}",
                    "\"java-tools\": {\"url\": " + quote(toolServer.url() + "/mcp") + "}")));
            try (JvmProcess plain = JvmProcess.hub("transparency-plain-hub", config, null);
                 JvmProcess instrumented = JvmProcess.hub("transparency-agent-hub", config, Db.agentArgs(db, TENANT))) {
                int retried = 0;
                for (String[] call : CALLS) {
                    Reply expected = callRest(plain, call[0], call[1], call[2]);
                    Reply actual = callRest(instrumented, call[0], call[1], call[2]);
                    // A stale keep-alive connection to the Node server (it closes idle ones after 5 s) fails one
                    // send with "header parser received no bytes", with or without the agent: ask both hubs again.
                    for (int attempt = 0; attempt < 3 && (staleConnection(expected) || staleConnection(actual)); attempt++) {
                        retried++;
                        expected = callRest(plain, call[0], call[1], call[2]);
                        actual = callRest(instrumented, call[0], call[1], call[2]);
                    }
                    assertEquals(expected.status(), actual.status(), String.join(" ", call));
                    assertEquals(expected.body(), actual.body(), String.join(" ", call));
                }
                assertTrue(callRest(plain, "java-tools", "echo", "{\"text\":\"x\"}").body().contains("\"x\""));

                // the agent did record them (so the comparison ran with working instrumentation)
                Db.await(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = '" + TENANT
                        + "' AND side = 'downstream'", r -> r.get(0).get(0).equals(Integer.toString(CALLS.size())),
                        Duration.ofSeconds(30));
                List<List<String>> sseServer = Db.await(db, "SELECT endpoint, status FROM mcp_servers WHERE tenant_id = '"
                        + TENANT + "' AND transport = 'sse'", r -> r.size() == 1, Duration.ofSeconds(30));
                assertEquals(List.of(sse.url("/sse"), "connected"), sseServer.get(0));
            }
        } finally {
            db.close();
        }
    }
}
