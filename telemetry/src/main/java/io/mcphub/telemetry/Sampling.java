package io.mcphub.telemetry;

import io.mcphub.telemetry.metrics.InfraMetricsSampler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The one background thread of the facade: heartbeats every 30 s and infrastructure samples. */
final class Sampling implements AutoCloseable {

    static final Duration HEARTBEAT = Duration.ofSeconds(30);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mcp-telemetry-sampler");
        t.setDaemon(true);
        return t;
    });

    Sampling(Runnable heartbeat, Duration metricsEvery, java.util.function.Consumer<InfraMetricsSampler> sample) {
        scheduler.scheduleWithFixedDelay(heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        long every = metricsEvery.toMillis();
        if (every > 0) {
            InfraMetricsSampler sampler = new InfraMetricsSampler();
            scheduler.scheduleWithFixedDelay(() -> sample.accept(sampler), Math.min(every, 1_000), every,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
