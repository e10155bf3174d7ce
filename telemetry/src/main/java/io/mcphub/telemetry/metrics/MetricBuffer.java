package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects samples for one {@link InfraMetricsSampler#sample()} call.
 *
 * <p>Every metric we emit is a count, a size, a duration or a 0..1 load, so a negative or non-finite value
 * can only be a JDK/kernel "unavailable" sentinel (-1, NaN). Filtering here keeps each source free of
 * repetitive checks and guarantees consumers only ever see finite values.
 */
final class MetricBuffer {

    private final List<MetricSample> samples;

    MetricBuffer(int expectedSize) {
        this.samples = new ArrayList<>(expectedSize);
    }

    void add(MetricScope scope, String name, double value) {
        if (Double.isFinite(value) && value >= 0) {
            samples.add(new MetricSample(scope, name, value));
        }
    }

    int size() {
        return samples.size();
    }

    List<MetricSample> toList() {
        return Collections.unmodifiableList(samples);
    }
}
