package io.mcphub.telemetry.text;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Removes credentials that free text (error messages, log lines, URLs) tends to carry: bearer
 * tokens, OAuth parameters, passwords in URLs, JSON-ish {@code "token": "..."} pairs, and every
 * secret this process was configured with ({@link #remember}), wherever it turns up: a driver's error
 * message may quote a URL or a setting in a shape no pattern foresees.
 */
public final class SecretScrubber {

    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern PARAM = Pattern.compile(
            "(?i)\\b(access_token|refresh_token|id_token|client_secret|code|api_key|apikey|token"
                    + "|[a-z_]*password|[a-z_]*passwd|[a-z_]*secret)=[^&\\s\"']+");
    private static final Pattern JSON_PAIR = Pattern.compile(
            "(?i)(\"(?:[a-z_]*(?:token|secret|password|authorization|api_?key)[a-z_]*)\"\\s*:\\s*)\"[^\"]*\"");
    // a password with an unencoded '/' is not matched (a path with '@' in it would be): remembered secrets cover it
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@");
    private static final Pattern SECRET_PARAM_VALUE = Pattern.compile("(?i)[?&;][a-z_]*(?:password|passwd|secret)=([^&\\s]+)");
    private static final String REDACTED = "[REDACTED]";
    /** Configured secrets are few; the bound keeps a caller that registers in a loop from growing it without end. */
    private static final int MAX_REMEMBERED = 64;

    private static final int SCRUB_MARGIN = 1_024;

    private static final List<String> REMEMBERED = new CopyOnWriteArrayList<>();

    private SecretScrubber() {
    }

    /**
     * Adds configured secrets (passwords, the credentials in a JDBC URL) that {@link #scrub} removes
     * wherever they appear. Empty values are ignored; so are secrets of fewer than 3 characters, which
     * would garble every message while protecting nothing (the patterns still cover them in URLs).
     */
    public static void remember(String... secrets) {
        for (String s : secrets) {
            if (s != null && s.strip().length() >= 3 && !REMEMBERED.contains(s) && REMEMBERED.size() < MAX_REMEMBERED) {
                REMEMBERED.add(s);
            }
        }
    }

    /**
     * Remembers the credentials a URL carries: the password of {@code user:password@} and the values of
     * query parameters named like a password or secret ({@code password=}, {@code sslpassword=}), as
     * written and percent-decoded (a driver's message may show either).
     */
    public static void rememberUrl(String url) {
        if (url == null) {
            return;
        }
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            // user-info ends at the last '@' before the query: a password typed with '@' or '/' in it stays whole
            String rest = url.substring(scheme + 3);
            int query = rest.indexOf('?');
            String authority = query < 0 ? rest : rest.substring(0, query);
            int at = authority.lastIndexOf('@');
            int colon = at < 0 ? -1 : authority.indexOf(':');
            if (colon >= 0 && colon < at) {
                rememberDecoded(authority.substring(colon + 1, at));
            }
        }
        var param = SECRET_PARAM_VALUE.matcher(url);
        while (param.find()) {
            rememberDecoded(param.group(1));
        }
    }

    private static void rememberDecoded(String raw) {
        remember(raw);
        try {
            remember(URLDecoder.decode(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not percent-encoded after all: the raw form is remembered
        }
    }

    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = text;
        for (String secret : REMEMBERED) {
            if (s.contains(secret)) {
                s = s.replace(secret, REDACTED);
            }
        }
        s = BEARER.matcher(s).replaceAll("$1 " + REDACTED);
        s = PARAM.matcher(s).replaceAll("$1=" + REDACTED);
        s = JSON_PAIR.matcher(s).replaceAll("$1\"" + REDACTED + "\"");
        return URL_USERINFO.matcher(s).replaceAll("$1" + REDACTED + "@");
    }

    /**
     * An exception and its causes as one scrubbed line ({@code Class: message; caused by ...}), for log
     * lines: a stack trace would print the messages unscrubbed.
     */
    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 5; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (depth > 0) {
                sb.append("; caused by ");
            }
            sb.append(t.getClass().getName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        return scrub(sb.toString());
    }

    /** Scrubbed and cut to {@code maxChars}, with a marker saying how much was cut. */
    public static String cap(String text, int maxChars) {
        // Scrubbing runs on the hub's thread: scan only what can be kept (plus room for a credential
        // straddling the cut), not a multi-megabyte message.
        int scan = maxChars + SCRUB_MARGIN;
        String s = scrub(text != null && text.length() > scan ? text.substring(0, scan) : text);
        if (s != null && text.length() > scan) {
            int cutAt = Math.min(s.length(), maxChars);
            return s.substring(0, Character.isHighSurrogate(s.charAt(cutAt - 1)) ? cutAt - 1 : cutAt)
                    + "…[truncated " + (text.length() - cutAt) + " chars]";
        }
        if (s == null || s.length() <= maxChars) {
            return s;
        }
        int cut = maxChars;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "…[truncated " + (s.length() - cut) + " chars]";
    }
}
