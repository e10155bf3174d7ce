package io.mcphub.telemetry.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time range a statistic covers: {@code window=15m|1h|24h|7d} (any {@code <n>m|h|d} up to 400
 * days) ending now or at {@code until}, or an explicit {@code since}/{@code until}.
 */
public record Window(Instant since, Instant until) {
    public static final Duration DEFAULT = Duration.ofHours(1);
    private static final Duration MAX = Duration.ofDays(400);
    private static final Pattern SPEC = Pattern.compile("([1-9][0-9]{0,5})([smhd])");
    private static final Map<String, Duration> UNITS = Map.of("s", Duration.ofSeconds(1), "m", Duration.ofMinutes(1),
            "h", Duration.ofHours(1), "d", Duration.ofDays(1));

    public static Window from(Params params, Instant now) {
        String spec = params.text("window");
        Instant since = params.instant("since");
        Instant until = params.instant("until");
        if (spec != null && since != null) {
            throw ApiException.badParameter("window", "give either window or since, not both");
        }
        Instant end = until != null ? until : now;
        Instant start;
        if (since != null) {
            start = since;
        } else {
            start = end.minus(spec == null ? DEFAULT : parse(spec));
        }
        if (!start.isBefore(end)) {
            throw ApiException.badParameter(since != null ? "since" : "until", "since must be before until");
        }
        if (Duration.between(start, end).compareTo(MAX) > 0) {
            throw ApiException.badParameter(since != null ? "since" : "window", "covers more than 400 days");
        }
        return new Window(start, end);
    }

    static Duration parse(String spec) {
        Matcher m = SPEC.matcher(spec.strip());
        if (!m.matches()) {
            throw ApiException.badParameter("window", "must look like 15m, 1h, 24h or 7d, got '" + spec + "'");
        }
        Duration d = UNITS.get(m.group(2)).multipliedBy(Long.parseLong(m.group(1)));
        if (d.compareTo(MAX) > 0) {
            throw ApiException.badParameter("window", "covers more than 400 days");
        }
        return d;
    }

    public Duration length() {
        return Duration.between(since, until);
    }

    /** Where per-tool and error statistics of a window come from. */
    public enum Grain {
        /** The raw rows: exact, and cheap for a window of up to an hour. */
        RAW(Duration.ofMinutes(1)),
        /** Hourly rollups, up to two days. */
        HOUR(Duration.ofHours(1)),
        /** Daily rollups beyond (and weekly ones for the whole weeks inside). */
        DAY(Duration.ofDays(1));

        /** The width of the grain's buckets (of UTC: the sink buckets by UTC). */
        public final Duration width;

        Grain(Duration width) {
            this.width = width;
        }
    }

    /**
     * The start of the bucket of {@code width} (minutes, hours or days of UTC, as the sink writes them)
     * that holds {@code t}. Computed here rather than by {@code date_trunc}, which truncates in the
     * session's time zone (the JVM's, with PgJDBC): a day in Berlin, an hour in Kolkata are not UTC's.
     */
    public static Instant floor(Instant t, Duration width) {
        long seconds = width.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
    }

    /** The first bucket of {@code width} that overlaps the window: the one holding its start. */
    public Instant firstBucket(Duration width) {
        return floor(since, width);
    }

    /**
     * Where the window's whole buckets of {@code width} begin: after the one holding its start (read as a
     * partial bucket even when the window starts on its boundary).
     */
    public Instant afterFirstBucket(Duration width) {
        return firstBucket(width).plus(width);
    }

    /** Where the window's whole buckets of {@code width} end: at the start of the one holding its end. */
    public Instant lastBucket(Duration width) {
        return floor(until, width);
    }

    public Grain grain() {
        Duration d = length();
        return d.compareTo(Duration.ofHours(1)) <= 0 ? Grain.RAW
                : d.compareTo(Duration.ofHours(49)) <= 0 ? Grain.HOUR : Grain.DAY;
    }

    /** Series steps of whole hours beyond a day, so hourly rollups fill them. */
    public boolean useHourlyRollup() {
        return length().compareTo(Duration.ofHours(25)) > 0;
    }

    /** Bucket width for chart series: about 60 points whatever the window. */
    public Duration seriesStep() {
        long minutes = Math.max(1, length().toMinutes() / 60);
        if (useHourlyRollup()) {
            minutes = Math.max(60, (minutes / 60) * 60);
        }
        return Duration.ofMinutes(minutes);
    }

    public Map<String, Object> json() {
        return Json.object("since", since, "until", until, "seconds", length().toSeconds());
    }
}
