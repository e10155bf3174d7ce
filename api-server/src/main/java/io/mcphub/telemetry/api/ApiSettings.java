package io.mcphub.telemetry.api;

import io.mcphub.telemetry.config.TelemetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How the API server listens and behaves. {@link AuthMode#LOCAL} serves requests without a token as
 * {@code localTenant}, but only from loopback addresses and for a loopback {@code Host} (or
 * {@code allowedHosts}); a bearer token, when given, is always checked. {@link AuthMode#TOKEN} requires one.
 *
 * <p>{@code threads} run the requests' database work, {@code requestQueue} more wait for them (beyond:
 * 503 overloaded); {@code connectionThreads} read requests and write answers, so slow or idle clients
 * hold these, not the database workers. {@code maxStreamClients} live streams per tenant,
 * {@code maxStreamClientsTotal} in all. A client gets {@code readTimeout} to send its request and for
 * each write of the answer; a request's database work gets {@code queryTimeout}, and the request is
 * answered by {@link #requestDeadline()} whatever the database does. Up to {@code digestCacheBytes} of merged
 * tool digests are held (0: none; {@link DigestCache}).
 */
public record ApiSettings(String bind, int port, AuthMode authMode, String localTenant, int threads,
                          Duration dashboardCacheTtl, Duration pollInterval, Duration heartbeat,
                          int maxStreamClients, int streamQueueCapacity, int maxReplay, Duration stallLimit,
                          List<String> allowedHosts, Duration readTimeout, Duration queryTimeout, int requestQueue,
                          int connectionThreads, int maxStreamClientsTotal, long digestCacheBytes) {

    public enum AuthMode { LOCAL, TOKEN }

    /** What a request may take beyond its query timeout: getting a worker and a connection, writing JSON. */
    public static final Duration DEADLINE_MARGIN = Duration.ofSeconds(1);

    public ApiSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (authMode == AuthMode.LOCAL && (localTenant == null || localTenant.isBlank())) {
            throw new IllegalArgumentException("local auth mode needs the tenant to serve");
        }
        if (threads < 1 || maxStreamClients < 1 || streamQueueCapacity < 1 || maxReplay < 0 || requestQueue < 0
                || connectionThreads < 1 || maxStreamClientsTotal < maxStreamClients) {
            throw new IllegalArgumentException("threads, stream clients and queue capacity must be positive "
                    + "(and the total of stream clients at least the per-tenant limit)");
        }
        if (readTimeout.isNegative() || readTimeout.isZero() || queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("read and query timeouts must be positive");
        }
        if (digestCacheBytes < 0) {
            throw new IllegalArgumentException("the digest cache's size must be 0 (none) or more bytes, got " + digestCacheBytes);
        }
        allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    public static ApiSettings defaults(String bind, int port, AuthMode authMode, String localTenant) {
        return new ApiSettings(bind, port, authMode, localTenant, 4, Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(15), 32, 1_000, 10_000, Duration.ofSeconds(30),
                List.of(), Duration.ofSeconds(10), Duration.ofSeconds(15), 256, 128, 256, DigestCache.DEFAULT_BUDGET_BYTES);
    }

    /** The settings of the agent's server or the standalone one, from the telemetry configuration. */
    public static ApiSettings of(TelemetryConfig config) {
        AuthMode mode = config.apiTokensRequired() ? AuthMode.TOKEN : AuthMode.LOCAL;
        return defaults(config.apiBind(), config.apiPort(), mode, config.tenant())
                .withAllowedHosts(config.apiAllowedHosts())
                .withTimeouts(config.apiReadTimeout(), config.apiQueryTimeout())
                .withDigestCache(config.apiDigestCacheBytes());
    }

    /** By when a request is answered, counted from when its database work is queued. */
    public Duration requestDeadline() {
        return queryTimeout.plus(DEADLINE_MARGIN);
    }

    public ApiSettings withPort(int port) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, dashboardCacheTtl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit, allowedHosts, readTimeout, queryTimeout,
                requestQueue, connectionThreads, maxStreamClientsTotal, digestCacheBytes);
    }

    public ApiSettings withTiming(Duration pollInterval, Duration heartbeat) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, dashboardCacheTtl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit, allowedHosts, readTimeout, queryTimeout,
                requestQueue, connectionThreads, maxStreamClientsTotal, digestCacheBytes);
    }

    public ApiSettings withStreamLimits(int maxStreamClients, int streamQueueCapacity, int maxReplay) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, dashboardCacheTtl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit, allowedHosts, readTimeout, queryTimeout,
                requestQueue, connectionThreads, Math.max(maxStreamClients, maxStreamClientsTotal), digestCacheBytes);
    }

    /** {@code perTenant} live streams per tenant, {@code total} in all. */
    public ApiSettings withStreamSlots(int perTenant, int total) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, dashboardCacheTtl, pollInterval, heartbeat,
                perTenant, streamQueueCapacity, maxReplay, stallLimit, allowedHosts, readTimeout, queryTimeout,
                requestQueue, connectionThreads, total, digestCacheBytes);
    }

    public ApiSettings withCacheTtl(Duration ttl) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, ttl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit, allowedHosts, readTimeout, queryTimeout,
                requestQueue, connectionThreads, maxStreamClientsTotal, digestCacheBytes);
    }

    public ApiSettings withAllowedHosts(List<String> hosts) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, dashboardCacheTtl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit, hosts, readTimeout, queryTimeout,
                requestQueue, connectionThreads, maxStreamClientsTotal, digestCacheBytes);
    }

    public ApiSettings withTimeouts(Duration readTimeout, Duration queryTimeout) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, dashboardCacheTtl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit, allowedHosts, readTimeout, queryTimeout,
                requestQueue, connectionThreads, maxStreamClientsTotal, digestCacheBytes);
    }

    /** {@code threads} database workers with {@code requestQueue} requests waiting for them. */
    public ApiSettings withWorkers(int threads, int requestQueue) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, dashboardCacheTtl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit, allowedHosts, readTimeout, queryTimeout,
                requestQueue, connectionThreads, maxStreamClientsTotal, digestCacheBytes);
    }

    /** Up to {@code bytes} of merged tool digests held (0: none). */
    public ApiSettings withDigestCache(long bytes) {
        return new ApiSettings(bind, port, authMode, localTenant, threads, dashboardCacheTtl, pollInterval, heartbeat,
                maxStreamClients, streamQueueCapacity, maxReplay, stallLimit, allowedHosts, readTimeout, queryTimeout,
                requestQueue, connectionThreads, maxStreamClientsTotal, bytes);
    }
}
