package io.mcphub.telemetry.api;

import io.mcphub.telemetry.model.SqlNamed;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Query parameters of one request. Every endpoint names the parameters it accepts, so a typo
 * ({@code ?sevrer=x}) is a 400 naming it rather than a silently ignored filter.
 */
public final class Params {
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final Map<String, String> values;

    private Params(Map<String, String> values) {
        this.values = values;
    }

    public static Params parse(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq), "query");
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), key);
                if (values.putIfAbsent(key, value) != null) {
                    throw ApiException.badParameter(key, "given more than once");
                }
            }
        }
        return new Params(values);
    }

    private static String decode(String s, String parameter) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(parameter, "malformed percent-encoding");
        }
    }

    public Params allow(Set<String> allowed) {
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw ApiException.badParameter(key, "unknown parameter (accepted: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    public String text(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v.isBlank()) {
            throw ApiException.badParameter(name, "must not be empty");
        }
        if (v.length() > 512) {
            throw ApiException.badParameter(name, "longer than 512 characters");
        }
        if (v.indexOf('\u0000') >= 0) {
            // PostgreSQL text cannot hold NUL (stored telemetry has it as U+2400); the query would fail as a 503
            throw ApiException.badParameter(name, "must not contain NUL characters (stored as U+2400)");
        }
        return v;
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = text(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw ApiException.badParameter(name, "must be between " + min + " and " + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(name, "must be a whole number, got '" + v + "'");
        }
    }

    /** An ISO-8601 instant ({@code 2025-06-18T10:00:00Z}) or epoch milliseconds. */
    public Instant instant(String name) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        try {
            Instant t = v.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(v)) : Instant.parse(v);
            if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
                // beyond what PostgreSQL's timestamptz holds, the query would fail (a 503, not the client's 400)
                throw ApiException.badParameter(name, "must be between " + EARLIEST + " and " + LATEST + ", got '" + v + "'");
            }
            return t;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.badParameter(name, "must be an ISO-8601 instant (2025-06-18T10:00:00Z) or epoch milliseconds, got '" + v + "'");
        }
    }

    /** One of the given values (case-insensitive), returned lower-case. */
    public String choice(String name, List<String> allowed) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw ApiException.badParameter(name, "must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return lower;
    }

    /** One value of a vocabulary of the model, by its one spelling (case-insensitive); null when absent. */
    public <E extends Enum<E> & SqlNamed> E named(String name, Class<E> vocabulary) {
        String v = choice(name, SqlNamed.names(vocabulary));
        return v == null ? null : SqlNamed.parse(vocabulary, v);
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }
}
