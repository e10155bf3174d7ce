package io.mcphub.telemetry.metrics;

/** Where a metric was observed; kept 1:1 with the agent's wire-level scope so mapping stays trivial. */
public enum Scope { JVM, PROCESS, SYSTEM, CONTAINER }
