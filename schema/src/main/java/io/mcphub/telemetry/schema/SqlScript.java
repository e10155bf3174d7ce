package io.mcphub.telemetry.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * A migration file cut into its statements, each with the line it starts on. Statements run one by one
 * so that a failure names the statement (and Citus, which refuses several commands in one query
 * string on distributed tables, sees one at a time). Semicolons inside quotes, dollar-quoted bodies and
 * comments do not end a statement.
 */
record SqlScript(List<Statement> statements) {

    /** One statement and the 1-based line of the file where it starts. */
    record Statement(String sql, int line) {
        /** The first line of the statement, for messages. */
        String firstLine() {
            String s = sql.strip();
            int nl = s.indexOf('\n');
            String first = nl < 0 ? s : s.substring(0, nl).strip() + " ...";
            return first.length() > 200 ? first.substring(0, 200) + "..." : first;
        }
    }

    static SqlScript parse(String text) {
        List<Statement> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int end = text.indexOf('\n', i);
                i = (end < 0 ? n : end) - 1;
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                int stop = end < 0 ? n : end + 2;
                line += count(text, i, stop);
                i = stop - 1;
                continue;
            }
            if (startLine < 0 && !Character.isWhitespace(c) && c != ';') {
                startLine = line;
            }
            if (c == '\'' || c == '"') {
                int end = closing(text, i + 1, c);
                current.append(text, i, end);
                line += count(text, i, end);
                i = end - 1;
                continue;
            }
            if (c == '$') {
                int tagEnd = dollarTagEnd(text, i);
                if (tagEnd > 0) {
                    String tag = text.substring(i, tagEnd + 1);
                    int close = text.indexOf(tag, tagEnd + 1);
                    int end = close < 0 ? n : close + tag.length();
                    current.append(text, i, end);
                    line += count(text, i, end);
                    i = end - 1;
                    continue;
                }
            }
            if (c == ';') {
                add(out, current, startLine);
                current.setLength(0);
                startLine = -1;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            current.append(c);
        }
        add(out, current, startLine);
        return new SqlScript(List.copyOf(out));
    }

    private static void add(List<Statement> out, StringBuilder sql, int line) {
        String s = sql.toString().strip();
        if (!s.isEmpty()) {
            out.add(new Statement(s, line));
        }
    }

    /** Index just past the quote closing one opened before {@code from} ('' and "" are escapes). */
    private static int closing(String text, int from, char quote) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i++;
                } else {
                    return i + 1;
                }
            }
        }
        return text.length();
    }

    /** For {@code $tag$} or {@code $$} at {@code at}, the index of its closing '$'; else -1 (e.g. $1). */
    private static int dollarTagEnd(String text, int at) {
        for (int i = at + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$') {
                return i;
            }
            if (!(Character.isLetter(c) || c == '_' || (i > at + 1 && Character.isDigit(c)))) {
                return -1;
            }
        }
        return -1;
    }

    private static int count(String text, int from, int to) {
        int lines = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
