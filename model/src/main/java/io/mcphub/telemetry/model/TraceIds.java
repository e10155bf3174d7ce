package io.mcphub.telemetry.model;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The one home of W3C trace context ids (https://www.w3.org/TR/trace-context/): a trace id travels as two
 * longs (high and low half), a span id as one long, from the hook to the COPY encoder, so that a call
 * carries them without allocating; 0 stands for "none" (the all-zero ids are invalid in W3C too). Text
 * is lowercase hex, as in {@code traceparent}.
 */
public final class TraceIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceIds() {
    }

    /** A random id, never 0. */
    public static long randomId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    /** A trace id as 32 hex digits; null when it is none. */
    public static String traceId(long high, long low) {
        if (high == 0 && low == 0) {
            return null;
        }
        char[] c = new char[32];
        put(c, 0, high);
        put(c, 16, low);
        return new String(c);
    }

    /** A span id as 16 hex digits; null when it is none. */
    public static String spanId(long id) {
        if (id == 0) {
            return null;
        }
        char[] c = new char[16];
        put(c, 0, id);
        return new String(c);
    }

    /** {@code 00-<trace id>-<span id>-<flags>}. */
    public static String traceparent(long traceHigh, long traceLow, long spanId, boolean sampled) {
        char[] c = new char[55];
        c[0] = '0';
        c[1] = '0';
        c[2] = '-';
        put(c, 3, traceHigh);
        put(c, 19, traceLow);
        c[35] = '-';
        put(c, 36, spanId);
        c[52] = '-';
        c[53] = '0';
        c[54] = sampled ? '1' : '0';
        return new String(c);
    }

    /** The hex digit of bits {@code shift..shift+3} of {@code id}, as an ASCII byte (for encoders). */
    public static byte hexDigit(long id, int shift) {
        return (byte) HEX[(int) (id >>> shift) & 0xf];
    }

    /**
     * 16 hex digits of {@code s} from {@code from} as a long; {@code 0} when any is not a lowercase or
     * uppercase hex digit (which also reads an invalid all-zero id as none).
     */
    public static long parseId(CharSequence s, int from) {
        if (s == null || from < 0 || s.length() < from + 16) {
            return 0;
        }
        long v = 0;
        for (int i = from; i < from + 16; i++) {
            char ch = s.charAt(i);
            int d = ch < 128 ? Character.digit(ch, 16) : -1;
            if (d < 0) {
                return 0;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /**
     * A {@code traceparent} as read: its trace id (two halves), span id and sampled flag. Null when it
     * is not a valid version-00-shaped header (a later version may add fields after the four known ones).
     */
    public static Parent parseTraceparent(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (h.length() < 55 || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-'
                || (h.length() > 55 && h.charAt(55) != '-') || h.startsWith("ff")) {
            return null;
        }
        if (!hex(h, 0, 2) || !hex(h, 3, 32) || !hex(h, 36, 16) || !hex(h, 53, 2)) {
            return null;
        }
        long high = parseId(h, 3);
        long low = parseId(h, 19);
        long span = parseId(h, 36);
        int flags = Character.digit(h.charAt(54), 16);
        if ((high == 0 && low == 0) || span == 0) {
            return null;
        }
        return new Parent(high, low, span, (flags & 1) != 0);
    }

    /** The span context a call continues: the trace and the span the call's own span is a child of. */
    public record Parent(long traceHigh, long traceLow, long spanId, boolean sampled) {
    }

    private static boolean hex(String s, int from, int n) {
        for (int i = from; i < from + n; i++) {
            char ch = s.charAt(i);
            if (ch >= 128 || Character.digit(ch, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void put(char[] c, int at, long id) {
        for (int i = 0; i < 16; i++) {
            c[at + i] = HEX[(int) (id >>> (60 - 4 * i)) & 0xf];
        }
    }
}
