package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.InFlight;
import io.mcphub.telemetry.config.TelemetryConfig;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The state the client hooks share: connections by transport and requests in flight by JSON-RPC id
 * (the SDK's ids carry a random per-session prefix, so they are unique in the JVM), and the sweeper
 * that expires requests the SDK gave up on (its request timeout plus a grace), since a timed-out
 * request leaves no trace at the message level; and how servers are named.
 */
final class McpClientSingletons {

    static final int MAX_IN_FLIGHT = 10_000;
    private static final TelemetryConfig CONFIG = AgentTelemetry.config();
    static final long DEFAULT_TIMEOUT_NANOS = CONFIG.mcpClientRequestTimeout().toNanos();
    static final long GRACE_NANOS = CONFIG.mcpClientTimeoutGrace().toNanos();
    static final Connections CONNECTIONS = new Connections(DEFAULT_TIMEOUT_NANOS);
    static final ServerNaming NAMING = new ServerNaming();
    static final InFlight<String, ClientCall> CALLS = new InFlight<>("MCP client requests",
            "telemetry.mcp_client.requests_given_up", MAX_IN_FLIGHT, c -> c.startNanos);
    private static volatile ScheduledExecutorService sweeper;

    private McpClientSingletons() {
    }

    static void track(ClientCall call) {
        CALLS.start(call.id, call);
        startSweeper();
    }

    /** Expires requests whose response is overdue; each one is recorded as timed out. */
    static void sweep(long nowNanos) {
        CALLS.expire(c -> nowNanos - c.startNanos > c.connection.requestTimeoutNanos() + GRACE_NANOS, c -> {
            try {
                McpClientLifecycle.expired(c);
            } catch (Throwable t) {
                AgentErrors.report("mcp-client-timeout", t);
            }
        });
    }

    /**
     * Runs {@code check} on the sweeper's thread every 50 ms until it returns true (it must give up by
     * itself, e.g. at a deadline).
     */
    static void repeatUntil(BooleanSupplier check) {
        startSweeper().schedule(() -> {
            boolean done;
            try {
                done = check.getAsBoolean();
            } catch (Throwable t) {
                AgentErrors.report("mcp-client-poll", t);
                done = true;
            }
            if (!done) {
                repeatUntil(check);
            }
        }, 50, TimeUnit.MILLISECONDS);
    }

    private static ScheduledExecutorService startSweeper() {
        ScheduledExecutorService running = sweeper;
        if (running != null) {
            return running;
        }
        synchronized (McpClientSingletons.class) {
            if (sweeper == null) {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "mcp-telemetry-client-timeouts");
                    t.setDaemon(true);
                    return t;
                });
                s.scheduleWithFixedDelay(() -> sweep(System.nanoTime()), 100, 100, TimeUnit.MILLISECONDS);
                sweeper = s;
            }
            return sweeper;
        }
    }
}
