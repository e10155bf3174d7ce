package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on an application that has none of the classes it instruments (no MCP SDK, no servlet
 * container): the application's output and exit code are the same as without the agent, and the agent
 * says nothing worse than its start-up line.
 */
class AgentWithoutSdkTest {

    private static List<String> run(String name, String agentArgs, String... moreJvmArgs) throws Exception {
        String classes = Path.of(PlainApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> cmd = new ArrayList<>(List.of(JvmProcess.java()));
        if (agentArgs != null) {
            cmd.add("-javaagent:" + JvmProcess.AGENT_JAR.toAbsolutePath() + "=" + agentArgs);
        }
        cmd.addAll(List.of(moreJvmArgs));
        cmd.addAll(List.of("-cp", classes, PlainApp.class.getName(), "3000"));
        JvmProcess p = JvmProcess.start(name, cmd, Map.of(), 60);
        assertEquals(0, p.awaitExit(60), String.join("\n", p.output));
        return p.output;
    }

    @Test
    void anApplicationWithoutTheSdkRunsUnchanged() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            List<String> plain = run("plain-app", null);
            List<String> withAgent = run("plain-app-agent", Db.agentArgs(db, "plain"));
            // Known: the JVM warns once that class-data sharing is limited to boot classes once the agent appended
            // its OAuth bridge to the bootstrap class path (see RELIABILITY.md); that line is the JVM's, not the app's.
            List<String> appLines = withAgent.stream().filter(l -> !l.contains("telemetry") && !l.contains("] INFO ")
                    && !l.contains("VM warning: Sharing is only supported for boot loader classes")).toList();
            assertEquals(plain, appLines, "the application's own output is unchanged");
            assertTrue(withAgent.stream().anyMatch(l -> l.contains("MCP hub telemetry agent")), String.join("\n", withAgent));
            List<String> problems = withAgent.stream().filter(l -> l.contains("WARN") || l.contains("ERROR")
                    || l.contains("Exception") || l.contains("telemetry hook")).toList();
            assertEquals(List.of(), problems);
            assertTrue(plain.contains("is io.modelcontextprotocol present: false"));
            Db.awaitCount(db, "SELECT count(*) FROM hub_instances WHERE tenant_id = 'plain' AND stopped_at IS NOT NULL", 1);
        }
    }

    @Test
    void aSecondJavaagentOfOursIsReportedInOneLineAndOnlyTheFirstRuns(@TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            // a copy elsewhere, as when a platform adds the agent and the hub's own command line does too
            Path copy = Files.copy(JvmProcess.AGENT_JAR, dir.resolve("copy-of-agent.jar"));
            List<String> plain = run("plain-app-2", null);
            List<String> twice = run("plain-app-two-agents", Db.agentArgs(db, "first"),
                    "-javaagent:" + copy + "=" + Db.agentArgs(db, "second"));
            List<String> said = twice.stream().filter(l -> l.contains("telemetry agent ignored")).toList();
            assertEquals(1, said.size(), String.join("\n", twice));
            assertEquals("[mcp-telemetry] another -javaagent of the MCP telemetry agent ignored: agent 0.1.0 already "
                    + "started in this JVM; only the first one runs, with its settings", said.get(0));
            assertTrue(twice.stream().noneMatch(l -> l.contains("second")), "nothing of the second one's settings");
            List<String> appLines = twice.stream().filter(l -> !l.contains("telemetry") && !l.contains("] INFO ")
                    && !l.contains("VM warning: Sharing is only supported for boot loader classes")).toList();
            assertEquals(plain, appLines, "the application's own output is unchanged");
            Db.awaitCount(db, "SELECT count(*) FROM hub_instances WHERE tenant_id = 'first' AND stopped_at IS NOT NULL", 1);
            assertEquals(0, Db.count(db, "SELECT count(*) FROM hub_instances WHERE tenant_id = 'second'"));
        }
    }
}
