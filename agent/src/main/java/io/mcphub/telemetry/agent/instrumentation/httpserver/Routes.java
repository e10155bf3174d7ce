package io.mcphub.telemetry.agent.instrumentation.httpserver;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code route} of an api_requests row: a path with bounded cardinality, never raw user input.
 *
 * <ol>
 * <li>The path is the context path + servlet path + path info (servlets) or the request URI's path (JDK
 * HttpServer); the query string is never included.</li>
 * <li>Each segment that looks like an identifier becomes {@code {id}}: all digits, a UUID, 16+ hex digits, a
 * 16+ character token mixing letters and digits, anything longer than 40 characters, or anything with a
 * character outside {@code [A-Za-z0-9._~:@+_-]} (decoded spaces, quotes, non-ASCII, ...). Empty segments are
 * dropped.</li>
 * <li>At most 8 segments are kept (then {@code /**}) and at most 160 characters.</li>
 * <li>A 404 gets the mapping pattern that received it instead of its path (e.g. {@code /api/*}), because
 * unmatched paths (scanners, typos, unknown names) are where unbounded values come from.</li>
 * <li>Once {@link #MAX_ROUTES} distinct routes have been seen, further new ones are recorded as their mapping
 * pattern too, so a route space the rules above do not tame still stays bounded.</li>
 * </ol>
 */
public final class Routes {

    static final int MAX_SEGMENTS = 8;
    static final int MAX_LENGTH = 160;
    static final int MAX_ROUTES = 2_000;
    static final String ID = "{id}";

    static final int MAX_PATHS = 4_096;

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    /** Request path -> its route, for the paths seen first (most hubs serve a few paths over and over). */
    private static final Map<String, String> NORMALIZED = new ConcurrentHashMap<>();

    private Routes() {
    }

    /**
     * @param path    the request path, decoded, without query string
     * @param pattern the mapping that received the request (e.g. {@code /api/*}), bounded by configuration
     * @param status  the response status
     */
    public static String route(String path, String pattern, int status) {
        String route = routeOrNull(path, status);
        return route != null ? route : fallback(pattern);
    }

    /**
     * The route of a request's path, or null when its mapping pattern stands for it instead (a 404, or a
     * new route beyond {@link #MAX_ROUTES}): the caller then asks the container for the pattern, which
     * costs more than the path (Jetty builds a mapping object), so only when it is needed.
     */
    public static String routeOrNull(String path, int status) {
        if (status == 404) {
            return null;
        }
        String known = path == null ? null : NORMALIZED.get(path);
        if (known != null) {
            return known;
        }
        String route = normalize(path);
        if (!SEEN.contains(route)) {
            if (SEEN.size() >= MAX_ROUTES) {
                return null;
            }
            SEEN.add(route);
        }
        if (path != null && NORMALIZED.size() < MAX_PATHS) {
            NORMALIZED.put(path, route); // paths with identifiers are many: past the cap they are normalized each time
        }
        return route;
    }

    /** The mapping pattern as a route. */
    public static String fallback(String pattern) {
        return cap(pattern == null || pattern.isEmpty() ? "/" : pattern);
    }

    /** The path with identifier-like segments replaced, capped; "/" when empty. */
    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        StringBuilder out = new StringBuilder(Math.min(path.length(), MAX_LENGTH) + 8);
        int segments = 0;
        int start = 0;
        int len = path.length();
        while (start <= len) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? len : slash;
            if (end > start) {
                if (segments == MAX_SEGMENTS) {
                    out.append("/**");
                    break;
                }
                String segment = path.substring(start, end);
                out.append('/').append(isIdentifier(segment) ? ID : segment);
                segments++;
            }
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return out.length() == 0 ? "/" : cap(out.toString());
    }

    static boolean isIdentifier(String s) {
        int n = s.length();
        if (n > 40) {
            return true;
        }
        boolean allDigits = true;
        boolean allHex = true;
        boolean letters = false;
        boolean digits = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!digit && !letter && "._~:@+-_".indexOf(c) < 0) {
                return true;
            }
            allDigits &= digit;
            allHex &= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            letters |= letter;
            digits |= digit;
        }
        if (allDigits || isUuid(s)) {
            return true;
        }
        return n >= 16 && (allHex || (letters && digits));
    }

    private static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String cap(String route) {
        return route.length() <= MAX_LENGTH ? route : route.substring(0, MAX_LENGTH - 3) + "...";
    }
}
