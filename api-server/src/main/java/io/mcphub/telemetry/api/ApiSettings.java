package io.mcphub.telemetry.api;

import java.time.Duration;

/**
 * How the API server listens and behaves. {@link AuthMode#LOCAL} serves requests without a token as
 * {@code localTenant}, but only from loopback addresses (the single-user case of an agent-started
 * server); a bearer token, when given, is always checked. {@link AuthMode#TOKEN} requires one.
 */
public record ApiSettings(String bind, int port, AuthMode authMode, String localTenant, int threads,
                          Duration dashboardCacheTtl, Duration pollInterval, Duration heartbeat,
                          int maxStreamClients, int streamQueueCapacity, int maxReplay, Duration stallLimit) {

    public enum AuthMode { LOCAL, TOKEN }

    public ApiSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (authMode == AuthMode.LOCAL && (localTenant == null || localTenant.isBlank())) {
            throw new IllegalArgumentException("local auth mode needs the tenant to serve");
        }
        if (threads < 1 || maxStreamClients < 1 || streamQueueCapacity < 1 || maxReplay < 0) {
            throw new IllegalArgumentException("threads, stream clients and queue capacity must be positive");
        }
    }

    public static ApiSettings defaults(String bind, int port, AuthMode authMode, String localTenant) {
        return new ApiSettings(bind, port, authMode, localTenant, 4, Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(15), 32, 1_000, 10_000, Duration.ofSeconds(30));
    }

    public ApiSettings withTiming(Duration pollInterval, Duration heartbeat) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, dashboardCacheTtl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit);
    }

    public ApiSettings withStreamLimits(int maxStreamClients, int streamQueueCapacity, int maxReplay) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, dashboardCacheTtl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit);
    }

    public ApiSettings withCacheTtl(Duration ttl) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, ttl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit);
    }
}
