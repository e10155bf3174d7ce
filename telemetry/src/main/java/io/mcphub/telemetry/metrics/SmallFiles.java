package io.mcphub.telemetry.metrics;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the tiny pseudo-files under /proc and /sys/fs/cgroup.
 *
 * <p>All methods return a sentinel ({@code null} / {@code -1}) instead of throwing: a missing or malformed
 * file just means "this metric is unavailable here" (macOS, Windows, restricted containers, other kernels).
 */
final class SmallFiles {

    /** Pseudo-files report size 0, so we cannot trust Files.size(); cap reads so a surprise never costs much. */
    static final int MAX_BYTES = 64 * 1024;

    /**
     * One reused read buffer: InputStream.readNBytes would allocate an 8 KiB scratch array per file, i.e.
     * more than 100 KiB of garbage per sample in the host application's heap.
     */
    private static final byte[] BUFFER = new byte[MAX_BYTES];

    /** Returned by the parsers when a value is absent or unparsable. */
    static final long ABSENT = -1L;

    /**
     * Returned for a decimal number too large for a long; cgroup v1 uses such values (and values just below
     * 2^63) to mean "no limit".
     */
    static final long HUGE = Long.MAX_VALUE;

    private SmallFiles() {}

    static String read(Path file) {
        return read(file, MAX_BYTES);
    }

    /** At most {@code maxBytes}; callers that need only a file's first line ask for less. */
    static String read(Path file, int maxBytes) {
        if (file == null) {
            return null;
        }
        synchronized (BUFFER) {
            try (InputStream in = Files.newInputStream(file)) {
                int limit = Math.min(maxBytes, BUFFER.length);
                int length = 0;
                int n;
                while (length < limit && (n = in.read(BUFFER, length, limit - length)) > 0) {
                    length += n;
                }
                return new String(BUFFER, 0, length, StandardCharsets.US_ASCII);
            } catch (Exception | LinkageError e) {
                return null;
            }
        }
    }

    /** First token of a file holding a single number, such as memory.current or cpuacct.usage. */
    static long readLong(Path file) {
        String content = read(file);
        return content == null ? ABSENT : parseNonNegative(firstToken(content));
    }

    /**
     * Value of {@code key} in "key value [unit]" line files: cgroup cpu.stat, memory.events, memory.oom_control,
     * and /proc meminfo / status where keys end with ':' and sizes carry a "kB" unit (converted to bytes).
     */
    static long keyedValue(String content, String key) {
        if (content == null) {
            return ABSENT;
        }
        int lineStart = 0;
        int length = content.length();
        while (lineStart < length) {
            int lineEnd = content.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = length;
            }
            long value = valueIfKeyMatches(content, lineStart, lineEnd, key);
            if (value != ABSENT) {
                return value;
            }
            lineStart = lineEnd + 1;
        }
        return ABSENT;
    }

    private static long valueIfKeyMatches(String content, int start, int end, String key) {
        // Cheap prefix test first so we only allocate substrings for the one line we care about.
        if (!content.startsWith(key, start)) {
            return ABSENT;
        }
        int afterKey = start + key.length();
        if (afterKey < end && content.charAt(afterKey) == ':') {
            afterKey++;
        }
        if (afterKey >= end || !Character.isWhitespace(content.charAt(afterKey))) {
            return ABSENT; // "oom_kill" must not match "oom_kill_disable"
        }
        String[] rest = content.substring(afterKey, end).trim().split("\\s+");
        long value = parseNonNegative(rest[0]);
        if (value != ABSENT && value != HUGE && rest.length > 1 && rest[1].equalsIgnoreCase("kB")) {
            return value > Long.MAX_VALUE / 1024L ? HUGE : value * 1024L;
        }
        return value;
    }

    static String firstToken(String content) {
        String trimmed = content.trim();
        int space = indexOfWhitespace(trimmed);
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Plain decimal digits only: Long/Double parsing would accept "NaN", "+5", "1e3" or "Infinity", none of
     * which a well-formed kernel file contains, so those are treated as garbage.
     */
    static long parseNonNegative(String token) {
        if (token == null || token.isEmpty() || token.length() > 40) {
            return ABSENT;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return ABSENT;
            }
        }
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException overflow) {
            return HUGE;
        }
    }
}
