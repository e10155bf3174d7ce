package io.mcphub.telemetry.agent.instrumentation.oauth;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The few values of an OAuth exchange the agent may keep: grant types, OAuth error codes, a hash of the state,
 * the endpoint's host. Everything else (tokens, codes, secrets, verifiers, headers) is never even copied.
 */
final class OAuthValues {

    /** Forms longer than this are not token requests worth scanning (those are a few hundred bytes). */
    private static final int MAX_FORM_CHARS = 16 * 1024;
    private static final int MAX_ERROR_SCAN_CHARS = 8 * 1024;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private OAuthValues() {
    }

    /**
     * The {@code grant_type} of an {@code application/x-www-form-urlencoded} body, or null when the body is not
     * such a form. Called for every {@code BodyPublishers.ofString}, so JSON bodies leave at the first character.
     */
    static String grantTypeOfForm(String body) {
        int n = body.length();
        if (n < 12 || n > MAX_FORM_CHARS) {
            return null;
        }
        char first = body.charAt(0);
        if (first == '{' || first == '[' || first == '<' || first == '"') {
            return null;
        }
        return token(queryParam(body, "grant_type"), 100, true);
    }

    /** Token endpoints a hub may post to without a recognisable form: {@code /token}, {@code /oauth/token}, ... */
    static boolean isTokenPath(String rawPath) {
        return rawPath != null && (rawPath.endsWith("/token") || rawPath.endsWith("/oauth2/v1/token"));
    }

    /** The decoded value of {@code name} in a query string or form ({@code a=1&b=2}); null when absent. */
    static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        int from = 0;
        int len = query.length();
        while (from < len) {
            int amp = query.indexOf('&', from);
            int end = amp < 0 ? len : amp;
            if (end - from > name.length() && query.charAt(from + name.length()) == '='
                    && query.startsWith(name, from)) {
                String raw = query.substring(from + name.length() + 1, end);
                try {
                    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
            if (end - from == name.length() && query.startsWith(name, from)) {
                return "";
            }
            from = end + 1;
        }
        return null;
    }

    /**
     * The OAuth {@code error} code (RFC 6749 5.2: {@code invalid_grant}, ...) of an error response body, or null.
     * Only a short code of safe characters is returned, never free text such as {@code error_description}.
     */
    static String oauthErrorOf(Object body) {
        String text;
        if (body instanceof String s) {
            text = s.length() > MAX_ERROR_SCAN_CHARS ? s.substring(0, MAX_ERROR_SCAN_CHARS) : s;
        } else if (body instanceof byte[] b) {
            text = new String(b, 0, Math.min(b.length, MAX_ERROR_SCAN_CHARS), StandardCharsets.UTF_8);
        } else {
            return null;
        }
        int key = text.indexOf("\"error\"");
        if (key < 0) {
            return null;
        }
        int i = skipSpace(text, key + 7);
        if (i >= text.length() || text.charAt(i) != ':') {
            return null;
        }
        i = skipSpace(text, i + 1);
        if (i >= text.length() || text.charAt(i) != '"') {
            return null;
        }
        int close = text.indexOf('"', i + 1);
        return close < 0 ? null : token(text.substring(i + 1, close), 64, false);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code value} when it is a short code of {@code [A-Za-z0-9_.-]} (plus {@code :} for URN grant types). */
    static String token(String value, int max, boolean allowColon) {
        if (value == null || value.isEmpty() || value.length() > max) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-' || c == '.' || (allowColon && c == ':');
            if (!ok) {
                return null;
            }
        }
        return value;
    }

    /**
     * Flow id derived from the OAuth {@code state}: the start redirect, the callback and the code exchange of one
     * authorization share it. The state is not a secret, but only a hash is kept, so it cannot be replayed.
     */
    static String flowIdOfState(String state) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[3 + 24];
            out[0] = 's';
            out[1] = 't';
            out[2] = '-';
            for (int i = 0; i < 12; i++) {
                out[3 + 2 * i] = HEX[(d[i] >> 4) & 0xf];
                out[4 + 2 * i] = HEX[d[i] & 0xf];
            }
            return new String(out);
        } catch (java.security.NoSuchAlgorithmException e) {
            return newFlowId();
        }
    }

    /** A fresh id for an exchange that cannot be tied to an authorization (client_credentials, refresh). */
    static String newFlowId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "fl-" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextInt() | Integer.MIN_VALUE);
    }

    /** {@code host[:port]} of an endpoint; user info (which may hold credentials) is never taken. */
    static String server(URI uri) {
        if (uri == null || uri.getHost() == null) {
            return null;
        }
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }
}
