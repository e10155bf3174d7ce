package io.mcphub.telemetry.bench;

import com.sun.management.ThreadMXBean;
import io.mcphub.telemetry.HubInstance;
import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.ToolExecution;
import io.mcphub.telemetry.config.TelemetryConfig;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Bytes the calling thread allocates per {@code logToolExecution}, counted by the JVM for that thread
 * only (JMH's {@code -prof gc} also counts the sink thread, which encodes and ships the rows). The
 * calls are paced so the ring accepts every record.
 */
public final class PublishAllocation {

    public static void main(String[] args) {
        int calls = Integer.parseInt(BenchArgs.arg(args, "calls", "200000"));
        McpHubTelemetry telemetry = McpHubTelemetry.create(TelemetryConfig.builder()
                        .agentArguments("tenant=bench,hubName=alloc,postgres.host=127.0.0.1,postgres.db=mcp_bench_jmh,"
                                + "api.enabled=false,metricsIntervalMs=0")
                        .build())
                .initialize(HubInstance.of("alloc", "1.0", 0));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        ToolExecution prebuilt = ToolExecution.success("github", "search", Instant.now(), Duration.ofNanos(42_000))
                .withSizes(120, 5_300).withIds("session-1", "r-1");
        for (int round = 0; round < 3; round++) {
            long full = measure(threads, calls, () -> telemetry.logToolExecution(ToolExecution.success("github", "search",
                    Instant.now(), Duration.ofNanos(42_000)).withSizes(120, 5_300).withIds("session-1", "r-1")));
            long publishOnly = measure(threads, calls, () -> telemetry.logToolExecution(prebuilt));
            System.out.printf(Locale.ROOT, "round %d: build+log %.1f B/call, log of a prebuilt execution %.1f B/call%n",
                    round, (double) full / calls, (double) publishOnly / calls);
        }
        System.out.println("# sink: " + telemetry.stats());
        telemetry.close();
    }

    private static long measure(ThreadMXBean threads, int calls, Runnable call) {
        long self = Thread.currentThread().getId();
        long pacing = measurePacing(threads, self);
        long before = threads.getThreadAllocatedBytes(self);
        for (int i = 0; i < calls; i++) {
            call.run();
            if ((i & 1023) == 1023) {
                LockSupport.parkNanos(10_000_000);
            }
        }
        return threads.getThreadAllocatedBytes(self) - before - pacing * (calls / 1024);
    }

    /** What one parkNanos costs in allocation (normally 0), subtracted from the totals. */
    private static long measurePacing(ThreadMXBean threads, long self) {
        long before = threads.getThreadAllocatedBytes(self);
        LockSupport.parkNanos(1_000);
        return threads.getThreadAllocatedBytes(self) - before;
    }

    private PublishAllocation() {
    }
}
