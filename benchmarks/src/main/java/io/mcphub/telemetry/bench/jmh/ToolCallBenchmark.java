package io.mcphub.telemetry.bench.jmh;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One {@code tools/call} through the MCP Java SDK's sync client against {@link InMemoryClientTransport}.
 * The subclasses run it in a JVM without the agent and in one with {@code -javaagent} (writing to a
 * real PostgreSQL), in the same JMH run; the difference of their percentiles is what the agent's
 * advice adds to a call. {@code WithOtelAgent} is the same call in a JVM with only the OpenTelemetry Java
 * agent attached (the yardstick, issue 11 item 5), its exporters off so that nothing leaves the JVM:
 * what it adds is its instrumentation of what the call path touches (Reactor's operators, context
 * propagation), as an application would get it by attaching it. {@code pauseTokens} of busy work per call keep the call rate near what the
 * sink can store, so the ring does not fill and the publish path measured is the accepting one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public abstract class ToolCallBenchmark {

    static final String AGENT_ARGS = "-javaagent:agent/target/mcp-telemetry-agent.jar=tenant=bench,hubName=jmh,"
            + "postgres.host=127.0.0.1,postgres.db=mcp_bench_jmh,api.enabled=false,metricsIntervalMs=0";

    /** Relative to the directory JMH is started from, the repository root (bench/jmh-hot-path.sh). */
    static final String OTEL_AGENT = "-javaagent:benchmarks/target/otel/opentelemetry-javaagent.jar";

    @Param("2000")
    public long pauseTokens;

    private McpSyncClient client;
    private McpSchema.CallToolRequest request;

    @Setup
    public void connect() {
        client = McpClient.sync(new InMemoryClientTransport())
                .clientInfo(new McpSchema.Implementation("jmh", "1.0"))
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        client.initialize();
        request = new McpSchema.CallToolRequest("echo", Map.of("text", "ping"));
    }

    @TearDown
    public void close() {
        client.closeGracefully();
    }

    @Benchmark
    public Object callTool() {
        Blackhole.consumeCPU(pauseTokens);
        return client.callTool(request);
    }

    @Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
    public static class WithoutAgent extends ToolCallBenchmark {
    }

    @Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", AGENT_ARGS})
    public static class WithAgent extends ToolCallBenchmark {
    }

    @Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", OTEL_AGENT, "-Dotel.service.name=jmh",
            "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"})
    public static class WithOtelAgent extends ToolCallBenchmark {
    }
}
