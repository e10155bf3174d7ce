package io.mcphub.telemetry.model;

import java.util.Arrays;

/**
 * A log-bucket histogram of call durations (µs), as stored in the tool rollups: bucket {@code k} holds
 * the durations {@code d} with {@code ceil(ln d / ln GAMMA) = k} (bucket 0 holds 0 and 1 µs). A
 * percentile read from it is the bucket's value {@code 2 GAMMA^k / (GAMMA + 1)}, within
 * {@link #RELATIVE_ERROR} of every duration the bucket holds, so within 2 % of the true percentile.
 * Mutable and sparse: keys ascending, as stored ({@code latency_keys}, {@code latency_counts}).
 * Single durations are only appended as they come (the sink adds one per tool call) and merged in
 * sorted order when the histogram is read.
 */
public final class LatencyHistogram {

    public static final double RELATIVE_ERROR = 0.02;
    public static final double GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
    private static final double LN_GAMMA = Math.log(GAMMA);

    private short[] keys = new short[8];
    private long[] counts = new long[8];
    private int size;
    private long total;
    /** Keys of single durations not merged yet, in arrival order. */
    private short[] pending = new short[16];
    private int pendingSize;

    /** The bucket of a duration. */
    public static int key(long durationMicros) {
        return durationMicros <= 1 ? 0 : (int) Math.ceil(Math.log(durationMicros) / LN_GAMMA);
    }

    /** The value reported for a bucket: within {@link #RELATIVE_ERROR} of each duration in it. */
    public static double value(int key) {
        return key == 0 ? 1 : 2 * Math.pow(GAMMA, key) / (GAMMA + 1);
    }

    public void add(long durationMicros) {
        addKey(key(durationMicros));
    }

    /** Adds one duration whose bucket is known ({@link #key}). */
    public void addKey(int key) {
        if (pendingSize == pending.length) {
            pending = Arrays.copyOf(pending, pendingSize * 2);
        }
        pending[pendingSize++] = (short) key;
        total++;
    }

    /**
     * A histogram of counts indexed by key ({@code dense[k]}: the count of bucket k), built in one pass
     * (adding the buckets one by one searches the keys for each).
     */
    public static LatencyHistogram ofDense(long[] dense) {
        LatencyHistogram h = new LatencyHistogram();
        int n = 0;
        for (long c : dense) {
            n += c != 0 ? 1 : 0;
        }
        if (n > h.keys.length) {
            h.keys = new short[n];
            h.counts = new long[n];
        }
        for (int k = 0; k < dense.length; k++) {
            if (dense[k] != 0) {
                h.keys[h.size] = (short) k;
                h.counts[h.size++] = dense[k];
                h.total += dense[k];
            }
        }
        return h;
    }

    /** Adds {@code count} to bucket {@code key}. */
    public void add(int key, long count) {
        settle();
        total += count;
        insert(key, count);
    }

    private void insert(int key, long count) {
        int i = Arrays.binarySearch(keys, 0, size, (short) key);
        if (i >= 0) {
            counts[i] += count;
        } else {
            insertAt(-i - 1, key, count);
        }
    }

    /** A key not yet present, at the position that keeps the keys ascending. */
    private void insertAt(int at, int key, long count) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        System.arraycopy(keys, at, keys, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        keys[at] = (short) key;
        counts[at] = count;
        size++;
    }

    /** Merges the pending single durations: sorted, run-length counted, inserted key by key. */
    private void settle() {
        if (pendingSize == 0) {
            return;
        }
        Arrays.sort(pending, 0, pendingSize);
        int run = 0;
        for (int i = 1; i <= pendingSize; i++) {
            if (i == pendingSize || pending[i] != pending[run]) {
                insert(pending[run], i - run);
                run = i;
            }
        }
        pendingSize = 0;
    }

    /** Adds a stored histogram (parallel arrays). */
    public void addAll(short[] storedKeys, long[] storedCounts) {
        addAll(storedKeys, storedCounts, storedKeys.length);
    }

    /**
     * Adds the first {@code n} entries of a stored histogram (parallel arrays, keys ascending): lets a
     * reader merge many stored rows through one pair of reused buffers.
     */
    public void addAll(short[] storedKeys, long[] storedCounts, int n) {
        if (n > storedKeys.length || n > storedCounts.length) {
            throw new IllegalArgumentException(n + " entries but arrays of " + storedKeys.length + " and " + storedCounts.length);
        }
        settle();
        // stored keys ascend, like this histogram's: one forward walk finds each key (a long window merges
        // ~1.3 M entries, mostly into keys already there), not a binary search per entry
        int at = 0;
        for (int i = 0; i < n; i++) {
            short k = storedKeys[i];
            if (i > 0 && k <= storedKeys[i - 1]) {
                // not ascending (never so as stored): the rest key by key
                for (; i < n; i++) {
                    add(storedKeys[i], storedCounts[i]);
                }
                return;
            }
            while (at < size && keys[at] < k) {
                at++;
            }
            total += storedCounts[i];
            if (at < size && keys[at] == k) {
                counts[at] += storedCounts[i];
            } else {
                insertAt(at, k, storedCounts[i]); // the walk found its place: no second search
            }
        }
    }

    public long count() {
        return total;
    }

    public short[] keys() {
        settle();
        return Arrays.copyOf(keys, size);
    }

    public long[] counts() {
        settle();
        return Arrays.copyOf(counts, size);
    }

    /**
     * The {@code q}-quantile (0 < q <= 1) in µs: the value of the bucket holding the rank {@code ceil(q n)}
     * duration; NaN when empty.
     */
    public double quantile(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        settle();
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < size; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return value(keys[i]);
            }
        }
        return value(keys[size - 1]);
    }
}
