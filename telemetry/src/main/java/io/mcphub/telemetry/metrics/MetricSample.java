package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;

/**
 * One observed value. Names are dotted, lower case and carry their unit ({@code _bytes}, {@code _ms}, ...)
 * so consumers never need a separate unit field.
 */
public record MetricSample(MetricScope scope, String name, double value) {}
