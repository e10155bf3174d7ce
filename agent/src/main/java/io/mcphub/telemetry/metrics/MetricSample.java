package io.mcphub.telemetry.metrics;

/**
 * One observed value. Names are dotted, lower case and carry their unit ({@code _bytes}, {@code _ms}, ...)
 * so consumers never need a separate unit field.
 */
public record MetricSample(Scope scope, String name, double value) {}
