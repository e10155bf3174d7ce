package io.mcphub.telemetry.model;

import java.time.Instant;

/**
 * The one home of the instants telemetry stores: between 1970-01-01 and the end of year 9999 (what
 * PostgreSQL's timestamptz and every consumer of the API handle), and their microsecond form, which is
 * what a tool execution travels as from the hook to the COPY encoder.
 */
public final class Times {

    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** {@link #LATEST} in microseconds since the epoch. */
    public static final long LATEST_MICROS = 253_402_300_799_999_999L;
    /** Seven days in seconds. */
    private static final long WEEK_SECONDS = 7 * 86_400L;
    /** From the Monday before the epoch (1969-12-29) to the epoch, in seconds. */
    private static final long MONDAY_OFFSET_SECONDS = 3 * 86_400L;

    private Times() {
    }

    /** {@code value} when storable; otherwise an exception naming {@code field}. */
    public static Instant require(Instant value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw outOfRange(field, value.toString());
        }
        return value;
    }

    /** Microseconds since the epoch of a storable instant (checked as {@link #require} does). */
    public static long micros(Instant value, String field) {
        require(value, field);
        return value.getEpochSecond() * 1_000_000L + value.getNano() / 1_000;
    }

    public static long requireMicros(long micros, String field) {
        if (micros < 0 || micros > LATEST_MICROS) {
            throw outOfRange(field, micros + " µs since 1970");
        }
        return micros;
    }

    public static Instant ofMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** Now, in microseconds since the epoch (the Instant does not escape, so the JIT allocates nothing). */
    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * The start of the week holding {@code t}: Monday 00:00 UTC, as ISO weeks and PostgreSQL's
     * {@code date_trunc('week', ...)} in UTC begin (1970-01-01 was a Thursday, so weeks are not
     * whole multiples of seven days since the epoch).
     */
    public static Instant weekStart(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond() + MONDAY_OFFSET_SECONDS, WEEK_SECONDS) * WEEK_SECONDS
                - MONDAY_OFFSET_SECONDS);
    }

    private static IllegalArgumentException outOfRange(String field, String value) {
        return new IllegalArgumentException(field + " must lie between years 1970 and 9999, got " + value);
    }
}
