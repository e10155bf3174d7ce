package io.mcphub.telemetry.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Every tool's figures of one tenant, side and rollup bucket in one value: the {@code digest} column of
 * {@code rollup_tool_digest_1h} / {@code _1d}. A window beyond an hour then reads one row per bucket
 * instead of one per tool and bucket (30 days of 500 tools: 31 rows instead of 15,500; the rows, not
 * the bytes, were what PostgreSQL and the driver spent their time on).
 *
 * <p>Format, version 1: the byte {@code 1}, then one entry per tool until the end:
 * <pre>
 * server name, tool name     unsigned varint length + UTF-8
 * calls, errors, total, min, max duration (µs)   unsigned varints
 * last call                  zigzag varint, µs since 1970
 * n                          unsigned varint: histogram buckets
 * n keys                     unsigned varints: the first key, then each key's distance to the one before
 * n counts                   unsigned varints
 * m                          unsigned varint: kinds of failure (error class and outcome)
 * m times: error class, outcome   unsigned varint length + UTF-8
 *          errors            unsigned varint
 *          last seen         zigzag varint, µs since 1970
 *          last message      unsigned varint length + 1 (0: none) + UTF-8
 * </pre>
 * Varints are little-endian groups of 7 bits, the high bit set on every byte but the last. Keys are
 * those of {@link LatencyHistogram} (ascending, never negative). A tool may appear more than once (a
 * reader adds its entries up); the sink's increments and compaction write each tool once.
 */
public final class ToolDigest {

    public static final int VERSION = 1;

    private ToolDigest() {
    }

    /** Encodes entries; reusable after {@link #toByteArray} only through {@link #reset}. */
    public static final class Writer {
        private byte[] buf = new byte[256];
        private int size;
        private int entries;
        /** Failures the last entry announced and {@link #failure} has not written yet. */
        private int owedFailures;

        public Writer() {
            reset();
        }

        public void reset() {
            size = 0;
            entries = 0;
            owedFailures = 0;
            buf[size++] = VERSION;
        }

        /**
         * Adds one tool's figures; its histogram is {@code keys[0..n)} / {@code counts[0..n)}, keys ascending;
         * its failures follow, {@link #failure} once per kind.
         */
        public Writer add(String server, String tool, long calls, long errors, long totalDurationUs, long minDurationUs,
                          long maxDurationUs, long lastCalledAtMicros, short[] keys, long[] counts, int n, int failureKinds) {
            owe(0);
            if (calls < 0 || errors < 0 || totalDurationUs < 0 || minDurationUs < 0 || maxDurationUs < 0) {
                throw new IllegalArgumentException("negative figure for tool " + server + "/" + tool + ": calls " + calls
                        + ", errors " + errors + ", durations " + totalDurationUs + "/" + minDurationUs + "/" + maxDurationUs);
            }
            for (int i = 0; i < n; i++) {
                if (keys[i] < 0 || (i > 0 && keys[i] <= keys[i - 1])) {
                    throw new IllegalArgumentException("histogram keys of tool " + server + "/" + tool
                            + " must ascend from 0, got " + Arrays.toString(Arrays.copyOf(keys, n)));
                }
                if (counts[i] < 0) {
                    throw new IllegalArgumentException("negative histogram count for tool " + server + "/" + tool);
                }
            }
            if (failureKinds < 0) {
                throw new IllegalArgumentException("negative number of failure kinds for tool " + server + "/" + tool);
            }
            // checked before anything is written: a refused entry leaves the digest as it was
            text(server);
            text(tool);
            unsigned(calls);
            unsigned(errors);
            unsigned(totalDurationUs);
            unsigned(minDurationUs);
            unsigned(maxDurationUs);
            unsigned((lastCalledAtMicros << 1) ^ (lastCalledAtMicros >> 63));
            unsigned(n);
            int previous = 0;
            for (int i = 0; i < n; i++) {
                unsigned(keys[i] - previous);
                previous = keys[i];
            }
            for (int i = 0; i < n; i++) {
                unsigned(counts[i]);
            }
            unsigned(failureKinds);
            owedFailures = failureKinds;
            entries++;
            return this;
        }

        /** One kind of failure of the tool added last (as many as it announced). */
        public Writer failure(String errorClass, String outcome, long errors, long lastSeenMicros, String lastMessage) {
            if (owedFailures == 0) {
                throw new IllegalStateException("failure " + errorClass + " beyond those its tool announced");
            }
            if (errors < 0) {
                throw new IllegalArgumentException("negative error count for " + errorClass);
            }
            owedFailures--;
            text(errorClass);
            text(outcome);
            unsigned(errors);
            unsigned((lastSeenMicros << 1) ^ (lastSeenMicros >> 63));
            if (lastMessage == null) {
                unsigned(0);
            } else {
                byte[] b = lastMessage.getBytes(StandardCharsets.UTF_8);
                unsigned(b.length + 1L);
                ensure(b.length);
                System.arraycopy(b, 0, buf, size, b.length);
                size += b.length;
            }
            return this;
        }

        /** Adds the running figures of one tool. */
        public Writer add(ToolTotals t) {
            return t.writeTo(this);
        }

        public int entries() {
            return entries;
        }

        public byte[] toByteArray() {
            owe(0);
            return Arrays.copyOf(buf, size);
        }

        private void owe(int expected) {
            if (owedFailures != expected) {
                throw new IllegalStateException("the last tool announced " + owedFailures + " more failure kind(s) than were written");
            }
        }

        private void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            unsigned(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        private void unsigned(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        private void ensure(int extra) {
            if (size + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
            }
        }
    }

    /**
     * Decodes a digest entry by entry: {@link #next} reads an entry's figures; its histogram is then
     * added with {@link #addLatencyTo}. A malformed digest throws {@link IllegalStateException} naming
     * where it breaks. Not thread-safe; reusable through {@link #reset}.
     */
    public static final class Reader {
        private byte[] buf;
        private int pos;
        private String server;
        private String tool;
        private long calls;
        private long errors;
        private long totalDurationUs;
        private long minDurationUs;
        private long maxDurationUs;
        private long lastCalledAtMicros;
        private short[] keys = new short[128];
        private long[] counts = new long[128];
        private int n;
        private int failures;
        private String[] failureClass = new String[8];
        private String[] failureOutcome = new String[8];
        private long[] failureErrors = new long[8];
        private long[] failureLastSeen = new long[8];
        /** Where each failure's last message starts in the digest (its length in {@link #messageLength}); -1: none. */
        private int[] messageAt = new int[8];
        private int[] messageLength = new int[8];

        public Reader() {
        }

        public Reader(byte[] digest) {
            reset(digest);
        }

        public Reader reset(byte[] digest) {
            if (digest == null || digest.length == 0) {
                throw new IllegalStateException("tool digest is empty");
            }
            if (digest[0] != VERSION) {
                throw new IllegalStateException("tool digest has version " + digest[0] + "; this reader knows " + VERSION);
            }
            buf = digest;
            pos = 1;
            return this;
        }

        /** Reads the next entry; false at the end. */
        public boolean next() {
            if (pos == buf.length) {
                return false;
            }
            server = text();
            tool = text();
            calls = unsigned();
            errors = unsigned();
            totalDurationUs = unsigned();
            minDurationUs = unsigned();
            maxDurationUs = unsigned();
            long z = unsigned();
            lastCalledAtMicros = (z >>> 1) ^ -(z & 1);
            long size = unsigned();
            if (size > buf.length - pos) {
                throw broken("histogram of " + size + " buckets");
            }
            n = (int) size;
            if (n > keys.length) {
                keys = new short[Math.max(n, keys.length * 2)];
                counts = new long[keys.length];
            }
            long key = 0;
            for (int i = 0; i < n; i++) {
                key += unsigned();
                if (key > Short.MAX_VALUE || (i > 0 && key == keys[i - 1])) {
                    throw broken("histogram key " + key);
                }
                keys[i] = (short) key;
            }
            for (int i = 0; i < n; i++) {
                counts[i] = unsigned();
            }
            long kinds = unsigned();
            if (kinds > buf.length - pos) {
                throw broken(kinds + " kinds of failure");
            }
            failures = (int) kinds;
            if (failures > failureClass.length) {
                int room = Math.max(failures, failureClass.length * 2);
                failureClass = new String[room];
                failureOutcome = new String[room];
                failureErrors = new long[room];
                failureLastSeen = new long[room];
                messageAt = new int[room];
                messageLength = new int[room];
            }
            for (int i = 0; i < failures; i++) {
                failureClass[i] = text();
                failureOutcome[i] = text();
                failureErrors[i] = unsigned();
                long seen = unsigned();
                failureLastSeen[i] = (seen >>> 1) ^ -(seen & 1);
                long length = unsigned();
                if (length - 1 > buf.length - pos) {
                    throw broken("message of " + (length - 1) + " bytes");
                }
                messageAt[i] = length == 0 ? -1 : pos;
                messageLength[i] = length == 0 ? 0 : (int) (length - 1);
                pos += messageLength[i];
            }
            return true;
        }

        /** The kinds of failure of the current entry. */
        public int failures() {
            return failures;
        }

        public String errorClass(int failure) {
            return failureClass[failure];
        }

        public String outcome(int failure) {
            return failureOutcome[failure];
        }

        public long failureErrors(int failure) {
            return failureErrors[failure];
        }

        public long failureLastSeenMicros(int failure) {
            return failureLastSeen[failure];
        }

        /** The last message of a failure kind, decoded only when asked for (most readers want few); null: none. */
        public String failureLastMessage(int failure) {
            return messageAt[failure] < 0 ? null : new String(buf, messageAt[failure], messageLength[failure], StandardCharsets.UTF_8);
        }

        public String server() {
            return server;
        }

        public String tool() {
            return tool;
        }

        public long calls() {
            return calls;
        }

        public long errors() {
            return errors;
        }

        public long totalDurationUs() {
            return totalDurationUs;
        }

        public long minDurationUs() {
            return minDurationUs;
        }

        public long maxDurationUs() {
            return maxDurationUs;
        }

        public long lastCalledAtMicros() {
            return lastCalledAtMicros;
        }

        /** Adds the current entry's histogram to {@code into}. */
        public void addLatencyTo(LatencyHistogram into) {
            into.addAll(keys, counts, n);
        }

        /**
         * Adds the current entry's histogram to counts indexed by key ({@code dense[k]}: bucket k; null for
         * none yet); returns the array, grown when a key is beyond it.
         */
        public long[] addLatencyTo(long[] dense) {
            if (n == 0) {
                return dense;
            }
            int top = keys[n - 1];
            if (dense == null || top >= dense.length) {
                dense = Arrays.copyOf(dense == null ? new long[0] : dense, Math.max(top + 1, dense == null ? 0 : dense.length * 2));
            }
            for (int i = 0; i < n; i++) {
                dense[keys[i]] += counts[i];
            }
            return dense;
        }

        private String text() {
            long length = unsigned();
            if (length > buf.length - pos) {
                throw broken("name of " + length + " bytes");
            }
            String s = new String(buf, pos, (int) length, StandardCharsets.UTF_8);
            pos += (int) length;
            return s;
        }

        private long unsigned() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos == buf.length) {
                    throw broken("a number cut short");
                }
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw broken("a number longer than 64 bits");
        }

        private IllegalStateException broken(String what) {
            return new IllegalStateException("tool digest of " + buf.length + " bytes is malformed at byte " + pos + ": " + what);
        }
    }
}
