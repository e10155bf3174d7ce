package io.mcphub.telemetry.api;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Local mode serves requests from this machine without a token. A web page the hub's user opens can
 * make the browser send such requests: to {@code attacker.example}, which its DNS then points at
 * 127.0.0.1 (DNS rebinding), so the page reads the answers as its own origin. The browser still names
 * the page's host in {@code Host} and {@code Origin}, so a request without a token is served only when
 * {@code Host} is a loopback name or address, the bind address or one of {@code api.allowedHosts}, and
 * an {@code Origin}, when sent, is this very server. Names are compared as written: no DNS lookups.
 */
final class LocalModeGuard {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "[::]", "[0:0:0:0:0:0:0:0]");

    private final Set<String> names = new LinkedHashSet<>();

    LocalModeGuard(ApiSettings settings) {
        names.add("localhost");
        String bind = bracketed(settings.bind().strip().toLowerCase(Locale.ROOT));
        if (!WILDCARDS.contains(bind)) {
            names.add(bind);
        }
        names.addAll(settings.allowedHosts());
    }

    /** Throws 421 for a foreign {@code Host}, 403 for a foreign {@code Origin}. */
    void check(String hostHeader, String origin) {
        // a browser always sends Host; only hand-made HTTP/1.0 requests lack it, and those are no page's
        String host = hostHeader == null ? null : hostOf(hostHeader.strip());
        if (host != null && !allowed(host)) {
            throw new ApiException(421, "misdirected_request", "local mode answers requests without a token only for "
                    + "Host localhost, a loopback address" + boundNames() + " or api.allowedHosts; got Host '"
                    + hostHeader.strip() + "' (send an API token, or add the name to api.allowedHosts / "
                    + "MCP_TELEMETRY_API_ALLOWED_HOSTS)", null);
        }
        if (origin != null && !sameServer(origin.strip(), hostHeader == null ? null : hostHeader.strip())) {
            throw ApiException.forbidden("local mode refuses cross-origin requests without a token: Origin '"
                    + origin.strip() + "' is not this server" + (hostHeader == null ? "" : " (http://" + hostHeader.strip() + ")"));
        }
    }

    private String boundNames() {
        return names.size() > 1 ? ", " + String.join(", ", names.stream().skip(1).toList()) : "";
    }

    private boolean sameServer(String origin, String hostHeader) {
        try {
            URI o = new URI(origin);
            if (!"http".equalsIgnoreCase(o.getScheme()) || o.getRawAuthority() == null
                    || (o.getRawPath() != null && !o.getRawPath().isEmpty())) {
                return false; // "null" (sandboxed frames, files), https pages, anything not an origin
            }
            String authority = o.getRawAuthority().toLowerCase(Locale.ROOT);
            if (hostHeader != null) {
                return authority.equals(hostHeader.toLowerCase(Locale.ROOT)) && allowed(hostOf(authority));
            }
            return allowed(hostOf(authority));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private boolean allowed(String host) {
        return host != null && (names.contains(host) || loopbackLiteral(host));
    }

    /** The host of {@code host[:port]} or {@code [v6]:port}, lower case, without a trailing dot; null when malformed. */
    static String hostOf(String authority) {
        String a = authority.toLowerCase(Locale.ROOT);
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return close < 0 ? null : a.substring(0, close + 1);
        }
        int colon = a.lastIndexOf(':');
        String host = colon < 0 ? a : a.substring(0, colon);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static boolean loopbackLiteral(String host) {
        var v4 = IPV4.matcher(host);
        if (v4.matches()) {
            return v4.group(1).equals("127");
        }
        if (host.startsWith("[") && host.endsWith("]") && host.matches("\\[[0-9a-f:.]+\\]")) {
            try {
                // a literal: parsed, never looked up
                return InetAddress.getByName(host.substring(1, host.length() - 1)).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static String bracketed(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }
}
