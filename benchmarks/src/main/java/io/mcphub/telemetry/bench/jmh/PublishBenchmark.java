package io.mcphub.telemetry.bench.jmh;

import io.mcphub.telemetry.HubInstance;
import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.ToolExecution;
import io.mcphub.telemetry.config.TelemetryConfig;
import java.time.Duration;
import java.time.Instant;
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
 * The cost of one {@code logToolExecution} (build the execution, convert, publish into the ring) as a
 * hub or the agent's hook pays it, with a real sink draining the ring into PostgreSQL behind it.
 * {@code baseline} is the same busy pause alone, which keeps the publish rate below what the sink
 * stores (so records are accepted, not dropped): {@code logToolExecution - baseline} is the cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class PublishBenchmark {

    @Param("2000")
    public long pauseTokens;

    private McpHubTelemetry telemetry;

    @Setup
    public void start() {
        telemetry = McpHubTelemetry.create(TelemetryConfig.builder()
                        .agentArguments("tenant=bench,hubName=jmh,postgres.host=127.0.0.1,postgres.db=mcp_bench_jmh,"
                                + "api.enabled=false,metricsIntervalMs=0")
                        .build())
                .initialize(HubInstance.of("jmh", "1.0", 0));
    }

    /** Prints the sink's counters first, so a reader can see the ring accepted (not dropped) the records. */
    @TearDown
    public void stop() {
        System.out.println("# sink: " + telemetry.stats());
        telemetry.close();
    }

    @Benchmark
    public void baseline() {
        Blackhole.consumeCPU(pauseTokens);
    }

    @Benchmark
    public boolean logToolExecution() {
        Blackhole.consumeCPU(pauseTokens);
        return telemetry.logToolExecution(ToolExecution.success("github", "search", Instant.now(), Duration.ofNanos(42_000))
                .withSizes(120, 5_300).withIds("session-1", "r-1"));
    }
}
