package io.mcphub.telemetry.api;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The path a request asked for, decoded, with repeated slashes collapsed. The JDK server hands over
 * the request target as a {@link URI}, which reads {@code //api/telemetry/dashboard} as host
 * {@code api} and path {@code /telemetry/dashboard}; browsers and proxies do produce such doubled
 * slashes (a base URL ending in {@code /} joined with one starting with {@code /}), and they mean the
 * path, so the authority of a target without scheme is put back in front of it.
 */
final class RequestPath {

    private RequestPath() {
    }

    static String of(URI target) {
        String raw = target.getRawPath() == null ? "" : target.getRawPath();
        if (target.getScheme() == null && target.getRawAuthority() != null) {
            raw = "//" + target.getRawAuthority() + raw;
        }
        String decoded;
        try {
            // '+' is a literal in a path, not a space as in a query
            decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_request", "malformed percent-encoding in the path", null);
        }
        String collapsed = decoded.replaceAll("/{2,}", "/");
        return collapsed.isEmpty() ? "/" : collapsed;
    }
}
