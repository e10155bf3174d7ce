package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.SqlNamed;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Encodes rows in PostgreSQL's COPY text format, straight to UTF-8 bytes in a reused buffer that is
 * handed to the COPY stream in chunks, so a batch never needs more memory than one chunk plus the
 * largest single value.
 *
 * <p>PostgreSQL text cannot hold NUL and UTF-8 cannot hold unpaired UTF-16 surrogates: NUL is stored
 * as U+2400 (SYMBOL FOR NULL) and a lone surrogate as U+FFFD. Every other character, including tabs,
 * newlines, backslashes and other control characters, round-trips exactly.
 */
public final class CopyEncoder {

    /** Where full chunks go: the COPY stream, or a test's buffer. */
    @FunctionalInterface
    public interface ChunkSink {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    static final char NUL_REPLACEMENT = '\u2400';
    static final char SURROGATE_REPLACEMENT = '\uFFFD';
    private static final int CHUNK = 256 * 1024;
    private static final int SHRINK_ABOVE = 4 * 1024 * 1024;

    private byte[] buf = new byte[CHUNK + 1024];
    private int len;
    private boolean firstColumn = true;
    private ChunkSink sink;
    private long bytesWritten;

    public void begin(ChunkSink target) {
        this.sink = target;
        this.len = 0;
        this.firstColumn = true;
        this.bytesWritten = 0;
    }

    /** Sends what is buffered; returns the total bytes this COPY carried. */
    public long finish() throws SQLException {
        drain();
        sink = null;
        if (buf.length > SHRINK_ABOVE) {
            buf = new byte[CHUNK + 1024];
        }
        return bytesWritten;
    }

    public CopyEncoder text(String value) {
        separator();
        if (value == null) {
            writeNull();
            return this;
        }
        ensure(value.length() * 3L + 2);
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> put2('\\', '\\');
                    case '\n' -> put2('\\', 'n');
                    case '\r' -> put2('\\', 'r');
                    case '\t' -> put2('\\', 't');
                    case '\b' -> put2('\\', 'b');
                    case '\f' -> put2('\\', 'f');
                    case 0x0B -> put2('\\', 'v');
                    case 0 -> put3(NUL_REPLACEMENT);
                    default -> buf[len++] = (byte) c;
                }
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                buf[len++] = (byte) (0xF0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                put3(SURROGATE_REPLACEMENT);
            } else {
                put3(c);
            }
        }
        return this;
    }

    public CopyEncoder text(SqlNamed value) {
        return text(value == null ? null : value.sqlName());
    }

    public CopyEncoder number(long value) {
        separator();
        ensure(20);
        integer(value);
        return this;
    }

    private void integer(long value) {
        if (value == Long.MIN_VALUE) {
            ascii("-9223372036854775808");
            return;
        }
        if (value < 0) {
            buf[len++] = '-';
            value = -value;
        }
        digits(value);
    }

    public CopyEncoder number(Integer value) {
        return value == null ? nullValue() : number(value.longValue());
    }

    public CopyEncoder number(Long value) {
        return value == null ? nullValue() : number(value.longValue());
    }

    public CopyEncoder number(double value) {
        separator();
        ascii(Double.toString(value));
        return this;
    }

    /** An array as {@code {1,2,3}}. */
    public CopyEncoder array(short[] values) {
        separator();
        ensure(2 + values.length * 7L);
        buf[len++] = '{';
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                buf[len++] = ',';
            }
            integer(values[i]);
        }
        buf[len++] = '}';
        return this;
    }

    public CopyEncoder array(long[] values) {
        separator();
        ensure(2 + values.length * 21L);
        buf[len++] = '{';
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                buf[len++] = ',';
            }
            integer(values[i]);
        }
        buf[len++] = '}';
        return this;
    }

    public CopyEncoder bool(boolean value) {
        separator();
        ensure(1);
        buf[len++] = (byte) (value ? 't' : 'f');
        return this;
    }

    /** ISO timestamp in UTC with microseconds: {@code 2026-11-25 16:40:00.123456+00}. */
    public CopyEncoder timestamp(Instant value) {
        if (value == null) {
            separator();
            writeNull();
            return this;
        }
        return timestampMicros(value.getEpochSecond() * 1_000_000L + value.getNano() / 1_000);
    }

    /** The same, from microseconds since the epoch (how tool executions carry their start). */
    public CopyEncoder timestampMicros(long micros) {
        separator();
        ensure(32);
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int microOfSecond = (int) Math.floorMod(micros, 1_000_000L);
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm), without allocating.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(year, 4);
        buf[len++] = '-';
        pad(month, 2);
        buf[len++] = '-';
        pad(day, 2);
        buf[len++] = ' ';
        pad(secondOfDay / 3600, 2);
        buf[len++] = ':';
        pad(secondOfDay / 60 % 60, 2);
        buf[len++] = ':';
        pad(secondOfDay % 60, 2);
        buf[len++] = '.';
        pad(microOfSecond, 6);
        buf[len++] = '+';
        buf[len++] = '0';
        buf[len++] = '0';
        return this;
    }

    public CopyEncoder nullValue() {
        separator();
        writeNull();
        return this;
    }

    /** Ends the row; ships a chunk when enough bytes have gathered. */
    public void endRow() throws SQLException {
        ensure(1);
        buf[len++] = '\n';
        firstColumn = true;
        if (len >= CHUNK) {
            drain();
        }
    }

    private void drain() throws SQLException {
        if (len > 0) {
            sink.write(buf, 0, len);
            bytesWritten += len;
            len = 0;
        }
    }

    private void separator() {
        if (firstColumn) {
            firstColumn = false;
        } else {
            ensure(1);
            buf[len++] = '\t';
        }
    }

    private void writeNull() {
        ensure(2);
        put2('\\', 'N');
    }

    private void put2(char a, char b) {
        buf[len++] = (byte) a;
        buf[len++] = (byte) b;
    }

    private void put3(char c) {
        buf[len++] = (byte) (0xE0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void digits(long value) {
        int start = len;
        do {
            buf[len++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    private void pad(long value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        len += width;
    }

    private void ensure(long extra) {
        long needed = len + extra;
        if (needed > buf.length) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("value too large for one COPY row: " + extra + " bytes");
            }
            byte[] bigger = new byte[(int) Math.max(needed, Math.min(Integer.MAX_VALUE - 16L, buf.length * 2L))];
            System.arraycopy(buf, 0, bigger, 0, len);
            buf = bigger;
        }
    }
}
