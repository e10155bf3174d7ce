package io.mcphub.telemetry.record;

import java.time.Instant;

/** Argument checks shared by the record constructors; messages name the offending field. */
final class Require {
    private static final Instant MIN = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

    private Require() {
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be null or blank");
        }
        return value;
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static Instant time(Instant value, String field) {
        present(value, field);
        if (value.isBefore(MIN) || value.isAfter(MAX)) {
            throw new IllegalArgumentException(field + " must lie between years 1970 and 9999, got " + value);
        }
        return value;
    }

    static Instant optionalTime(Instant value, String field) {
        return value == null ? null : time(value, field);
    }

    static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + value);
        }
        return value;
    }
}
