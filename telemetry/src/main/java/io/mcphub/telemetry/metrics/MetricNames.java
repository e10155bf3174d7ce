package io.mcphub.telemetry.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Builds metric names that embed a runtime-provided label (GC collector, buffer pool).
 *
 * <p>The set of collectors and pools is fixed for the life of the JVM, so names are memoised: after the first
 * sample, building the per-collector names allocates nothing.
 */
final class MetricNames {

    private final Map<String, String> cache = new ConcurrentHashMap<>();
    private final Function<String, String> builder;

    private MetricNames(Function<String, String> builder) {
        this.builder = builder;
    }

    /** e.g. {@code MetricNames.of(label -> "jvm.gc." + label + ".collections")}; the label arrives sanitized. */
    static MetricNames of(Function<String, String> builder) {
        return new MetricNames(builder);
    }

    String forLabel(String rawLabel) {
        return cache.computeIfAbsent(rawLabel, raw -> builder.apply(sanitize(raw)));
    }

    /** "G1 Young Generation" -> "g1_young_generation", "mapped - 'non-volatile memory'" -> "mapped_non_volatile_memory". */
    static String sanitize(String raw) {
        String lower = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        boolean pendingSeparator = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (pendingSeparator && out.length() > 0) {
                    out.append('_');
                }
                out.append(c);
                pendingSeparator = false;
            } else {
                pendingSeparator = true;
            }
        }
        return out.length() == 0 ? "unknown" : out.toString();
    }
}
