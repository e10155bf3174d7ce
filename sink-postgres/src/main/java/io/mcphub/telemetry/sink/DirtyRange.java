package io.mcphub.telemetry.sink;

import java.time.Instant;

/** The span of tool-execution start times written since the rollups were last refreshed. */
final class DirtyRange {

    /** A closed time span. */
    record Span(Instant from, Instant to) {
    }

    private Instant from;
    private Instant to;

    synchronized void add(Instant min, Instant max) {
        from = from == null || min.isBefore(from) ? min : from;
        to = to == null || max.isAfter(to) ? max : to;
    }

    /** Returns the span and forgets it; null when nothing was written. */
    synchronized Span take() {
        if (from == null) {
            return null;
        }
        Span span = new Span(from, to);
        from = null;
        to = null;
        return span;
    }
}
