package io.mcphub.telemetry.agent;

import io.mcphub.telemetry.text.SecretScrubber;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures inside the agent's own hooks: swallowed so the hub never sees them, counted per hook, and
 * logged once per hook so a broken instrumentation is noticed without flooding the hub's log.
 */
public final class AgentErrors {

    private static final Logger LOG = LoggerFactory.getLogger(AgentErrors.class);
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    private AgentErrors() {
    }

    public static void report(String hook, Throwable error) {
        try {
            LongAdder count = COUNTS.computeIfAbsent(hook, h -> new LongAdder());
            count.increment();
            if (count.sum() == 1) {
                LOG.warn("telemetry hook {} failed; the hub is unaffected, further failures of this hook are only counted: {}",
                        hook, SecretScrubber.describe(error));
                LOG.debug("telemetry hook {} failure", hook, error);
            }
        } catch (Throwable ignored) {
            // reporting must not fail either
        }
    }

    public static long count(String hook) {
        LongAdder count = COUNTS.get(hook);
        return count == null ? 0 : count.sum();
    }
}
