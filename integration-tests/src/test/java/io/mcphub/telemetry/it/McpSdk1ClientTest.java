package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on an application built on the MCP Java SDK 1.x line (1.1.5): its client side is
 * instrumented by the same advice as 2.x, since the classes and methods it hooks have the same shapes.
 */
class McpSdk1ClientTest extends WithDatabase {

    private static final Path SDK1_LIB = Path.of(System.getProperty("it.sdk1Lib", "target/sdk1-lib"));

    @Test
    void aClientOnSdk1IsRecordedLikeOneOnSdk2(@TempDir Path dir) throws Exception {
        String classPath;
        try (Stream<Path> jars = Files.list(SDK1_LIB)) {
            classPath = jars.map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        }
        assertTrue(classPath.contains("mcp-core-1.1.5.jar"), classPath);
        Path source = dir.resolve("Sdk1Client.java");
        Files.copy(McpSdk1ClientTest.class.getResourceAsStream("/sdk1/Sdk1Client.java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", dir.toString(), "-cp", classPath, source.toString()),
                "the probe compiles against SDK 1.1.5");

        try (JvmProcess tools = JvmProcess.javaToolServer("sdk1-tools")) {
            ProcessBuilder pb = new ProcessBuilder(JvmProcess.java(),
                    "-javaagent:" + JvmProcess.AGENT_JAR.toAbsolutePath() + "=" + Db.agentArgs(db, "sdk1"),
                    "-cp", dir + File.pathSeparator + classPath, "Sdk1Client", tools.url())
                    .redirectErrorStream(true).redirectOutput(JvmProcess.LOG_DIR.resolve("sdk1-client.log").toFile());
            Files.createDirectories(JvmProcess.LOG_DIR);
            Process client = pb.start();
            assertTrue(client.waitFor(90, TimeUnit.SECONDS), "the SDK 1.x client finished");
            String log = Files.readString(JvmProcess.LOG_DIR.resolve("sdk1-client.log"));
            assertEquals(0, client.exitValue(), log);
            assertTrue(log.contains("add -> 5") && log.contains("fail -> isError=true"), log);
        }
        List<List<String>> servers = Db.await(db, "SELECT server_name, transport, status, protocol_version IS NOT NULL "
                + "FROM mcp_servers WHERE tenant_id = 'sdk1'", r -> !r.isEmpty(), Duration.ofSeconds(30));
        assertEquals(List.of("java-tool-server", "streamable-http"), servers.get(0).subList(0, 2));
        assertEquals("t", servers.get(0).get(3), "protocol version recorded");
        assertEquals(7, Db.count(db, "SELECT count(*) FROM tools WHERE tenant_id = 'sdk1' AND removed_at IS NULL"));
        // SDK 1.x requests carried trace context too (its records have meta as well)
        assertEquals(2, Db.count(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'sdk1' "
                + "AND trace_id ~ '^[0-9a-f]{32}$' AND span_id ~ '^[0-9a-f]{16}$'"));
        assertEquals(List.of(List.of("add", "success"), List.of("fail", "tool_error")), Db.rows(db,
                "SELECT tool_name, outcome FROM tool_executions WHERE tenant_id = 'sdk1' ORDER BY tool_name"));
    }
}
