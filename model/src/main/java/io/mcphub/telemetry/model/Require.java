package io.mcphub.telemetry.model;

import io.mcphub.telemetry.text.Names;
import java.time.Instant;

/** Argument checks shared by the record constructors; messages name the offending field. */
final class Require {

    private Require() {
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be null or blank");
        }
        return value;
    }

    /** A name that must be present, made safe for index keys and labels ({@link Names#cap}). */
    static String name(String value, String field) {
        return Names.cap(text(value, field));
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static Instant time(Instant value, String field) {
        return Times.require(value, field);
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
