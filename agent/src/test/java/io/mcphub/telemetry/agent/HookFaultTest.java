package io.mcphub.telemetry.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.HubInstance;
import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.agent.instrumentation.mcpclient.McpClientInstrumentation;
import io.mcphub.telemetry.testing.TestDatabase;
import io.modelcontextprotocol.spec.OddSdkShapes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import org.junit.jupiter.api.Test;

/**
 * The real client advice, installed with a real Instrumentation on an SDK-shaped class of an unknown
 * version whose messages make the hook throw: the instrumented method returns and throws exactly what
 * it did, and the failure is counted each time but logged once.
 */
class HookFaultTest {

    @Test
    void aHookThatThrowsChangesNothingForTheHubAndWarnsOnce() throws Exception {
        TestDatabase db = TestDatabase.create();
        McpHubTelemetry telemetry = McpHubTelemetry.create(TelemetryConfig.builder(Map.of(), new Properties())
                        .jdbcUrl(db.jdbcUrl(), db.adminUser(), db.adminPassword()).tenant("faults")
                        .set(ConfigOption.METRICS_INTERVAL_MS, "0").build())
                .initialize(new HubInstance("hub", "1", "host", 1, Map.of()));
        AgentTelemetry.set(telemetry);
        Instrumentation inst = ByteBuddyAgent.install();
        ResettableClassFileTransformer transformer = new McpClientInstrumentation().extend(new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)).installOn(inst);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // loaded only now, so the agent transforms it
            OddSdkShapes.OddTransport transport = new OddSdkShapes.OddTransport();
            OddSdkShapes.JSONRPCRequest request = new OddSdkShapes.JSONRPCRequest();
            long before = AgentErrors.count("mcp-client-send");
            for (int i = 0; i < 5; i++) {
                assertEquals("sent:odd-request", transport.sendMessage(request));
            }
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> transport.sendMessage("boom"));
            assertEquals("boom from the transport", thrown.getMessage());
            assertSame(IllegalArgumentException.class, thrown.getClass());
            assertEquals(before + 5, AgentErrors.count("mcp-client-send"), "the advice ran and its hook failed each time");
        } finally {
            System.setErr(err);
            transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            AgentTelemetry.set(null);
            telemetry.close();
            db.close();
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        long warnings = log.lines().filter(l -> l.contains("telemetry hook mcp-client-send failed")).count();
        assertEquals(1, warnings, log);
        assertTrue(log.contains("unreadable method"), "the warning says what failed: " + log);
    }
}
