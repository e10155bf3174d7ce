package io.mcphub.telemetry.text;

import java.util.regex.Pattern;

/**
 * Removes credentials that free text (error messages, log lines, URLs) tends to carry: bearer
 * tokens, OAuth parameters, passwords in URLs, JSON-ish {@code "token": "..."} pairs.
 */
public final class SecretScrubber {

    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern PARAM = Pattern.compile(
            "(?i)\\b(access_token|refresh_token|id_token|client_secret|code|password|api_key|apikey|token)=[^&\\s\"']+");
    private static final Pattern JSON_PAIR = Pattern.compile(
            "(?i)(\"(?:[a-z_]*(?:token|secret|password|authorization|api_?key)[a-z_]*)\"\\s*:\\s*)\"[^\"]*\"");
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@");

    private static final int SCRUB_MARGIN = 1_024;

    private SecretScrubber() {
    }

    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = BEARER.matcher(text).replaceAll("$1 [REDACTED]");
        s = PARAM.matcher(s).replaceAll("$1=[REDACTED]");
        s = JSON_PAIR.matcher(s).replaceAll("$1\"[REDACTED]\"");
        return URL_USERINFO.matcher(s).replaceAll("$1[REDACTED]@");
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
