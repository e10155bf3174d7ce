package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.StorageLayout;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the pipeline runs (where it writes is a {@code DatabaseTarget}), already validated by the
 * configuration layer.
 *
 * @param layout   the storage layout a new database gets; null chooses it ({@code storage.layout=auto})
 * @param tenant   the tenant of this sink's hub: its login writes, and its own counters (drops, rejects,
 *                 writes) are reported under it
 * @param spillDir where batches the database cannot take are kept (a slot of it per process); null: no spill file
 */
public record SinkSettings(StorageLayout layout, boolean timescaleWanted, int ringSize, int batchSize, Duration flushInterval, int poolSize,
                           Duration connectTimeout, Duration maxBackoff, Duration shutdownTimeout, int retentionDays,
                           Duration maintenanceInterval, Duration compactInterval, Duration statsInterval,
                           String tenant, String instanceId, Path spillDir, long spillMaxBytes) {

    public SinkSettings {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two >= 2, got " + ringSize);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be >= 1, got " + poolSize);
        }
        if (retentionDays < 1) {
            throw new IllegalArgumentException("retention days must be >= 1, got " + retentionDays);
        }
        if (spillDir != null && spillMaxBytes < 1) {
            throw new IllegalArgumentException("spill size must be positive, got " + spillMaxBytes);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults suited to one hub. */
    public static final class Builder {
        private StorageLayout layout;
        private boolean timescaleWanted = true;
        private int ringSize = 65_536;
        private int batchSize = 2_000;
        private Duration flushInterval = Duration.ofMillis(200);
        private int poolSize = 2;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private int retentionDays = 30;
        private Duration maintenanceInterval = Duration.ofHours(1);
        private Duration compactInterval = Duration.ofSeconds(60);
        private Duration statsInterval = Duration.ofSeconds(30);
        private String tenant = "default";
        private String instanceId = "sink";
        private Path spillDir;
        private long spillMaxBytes = 256L << 20;

        private Builder() {
        }

        public Builder layout(StorageLayout value) { layout = value; return this; }
        public Builder timescaleWanted(boolean value) { timescaleWanted = value; return this; }
        public Builder ringSize(int value) { ringSize = value; return this; }
        public Builder batchSize(int value) { batchSize = value; return this; }
        public Builder flushInterval(Duration value) { flushInterval = value; return this; }
        public Builder poolSize(int value) { poolSize = value; return this; }
        public Builder connectTimeout(Duration value) { connectTimeout = value; return this; }
        public Builder maxBackoff(Duration value) { maxBackoff = value; return this; }
        public Builder shutdownTimeout(Duration value) { shutdownTimeout = value; return this; }
        public Builder retentionDays(int value) { retentionDays = value; return this; }
        public Builder maintenanceInterval(Duration value) { maintenanceInterval = value; return this; }
        public Builder compactInterval(Duration value) { compactInterval = value; return this; }
        public Builder statsInterval(Duration value) { statsInterval = value; return this; }
        public Builder tenant(String value) { tenant = value; return this; }
        public Builder instanceId(String value) { instanceId = value; return this; }
        public Builder spillDir(Path value) { spillDir = value; return this; }
        public Builder spillMaxBytes(long value) { spillMaxBytes = value; return this; }

        public SinkSettings build() {
            return new SinkSettings(layout, timescaleWanted, ringSize, batchSize, flushInterval, poolSize, connectTimeout,
                    maxBackoff, shutdownTimeout, retentionDays, maintenanceInterval, compactInterval, statsInterval,
                    tenant, instanceId, spillDir, spillMaxBytes);
        }
    }
}
