package io.mcphub.telemetry.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code serverNames} setting: {@code name=pattern} entries, comma-separated, that give a server the
 * operator's own name. A pattern is a glob over the whole recorded endpoint (a stdio server's command
 * line, an HTTP server's URL without credentials and query values): {@code *} is any run of characters,
 * {@code ?} one character, everything else is literal and case-sensitive. The first matching entry wins.
 * Globs rather than substrings, so that one rule can be anchored ({@code http://10.0.0.5:9001/*}) or loose
 * ({@code *server-everything*}); rather than regular expressions, so that dots and slashes of URLs and
 * paths need no escaping.
 */
public final class ServerNameRules {

    /** A name as stored in {@code server_name}: visible, no separators of this setting's syntax. */
    private static final Pattern NAME = Pattern.compile("[^\\s=,*?\\p{Cntrl}][^=,*?\\p{Cntrl}]{0,199}");

    public static final ServerNameRules NONE = new ServerNameRules(List.of());

    private final List<Rule> rules;

    private ServerNameRules(List<Rule> rules) {
        this.rules = rules;
    }

    private record Rule(String name, String glob, Pattern pattern) {
    }

    /**
     * Parses the setting's value; blank means no rules.
     *
     * @throws IllegalArgumentException naming the first bad entry and what is wrong with it
     */
    public static ServerNameRules parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        for (String raw : value.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw bad(entry, "is not name=pattern");
            }
            String name = entry.substring(0, eq).strip();
            String glob = entry.substring(eq + 1).strip();
            if (name.isEmpty()) {
                throw bad(entry, "has no name before '='");
            }
            if (!NAME.matcher(name).matches()) {
                throw bad(entry, "has a name that is not 1-200 visible characters without '*', '?', '=' or ','");
            }
            if (glob.isEmpty()) {
                throw bad(entry, "has no pattern after '='");
            }
            rules.add(new Rule(name, glob, compile(glob)));
        }
        return new ServerNameRules(List.copyOf(rules));
    }

    /** The name of the first rule whose pattern matches all of {@code endpoint}, else null. */
    public String nameOf(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        for (Rule r : rules) {
            if (r.pattern.matcher(endpoint).matches()) {
                return r.name;
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*' || ch == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(ch == '*' ? ".*" : ".");
            } else {
                literal.append(ch);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("entry '" + entry + "' " + why
                + " (expected name=pattern, e.g. everything=*server-everything*)");
    }

    @Override
    public String toString() {
        return rules.stream().map(r -> r.name + "=" + r.glob).toList().toString();
    }
}
