package io.mcphub.telemetry.model;

import java.util.Arrays;

/**
 * Merges stored histograms ({@code latency_keys smallint[]}, {@code latency_counts bigint[]}) read as
 * the server prints them ({@code {3,17,120}}) straight into a {@link LatencyHistogram}, through two
 * reused buffers. The driver's {@code getArray} boxes every element (the tenant latency series, the
 * API request totals and V010's backfill read many rows of them) and was as slow as the server
 * printing them; this parses digits in place.
 * The query casts the arrays to text: a statement the driver has prepared on the server gets arrays in
 * binary, and its getString of those quotes every element. Not thread-safe: one per query.
 */
public final class HistogramText {
    private short[] keys = new short[128];
    private long[] counts = new long[128];

    /** Adds the stored histogram given by the text of its two arrays to {@code into}. */
    public void addTo(LatencyHistogram into, String keysText, String countsText) {
        int n = parse(keysText, true);
        if (parse(countsText, false) != n) {
            throw new IllegalStateException("latency_keys and latency_counts differ in length: " + keysText + " / " + countsText);
        }
        into.addAll(keys, counts, n);
    }

    /** Parses a one-dimensional integer array literal ({@code {}}, {@code {1,-2,3}}); returns its length. */
    private int parse(String text, boolean intoKeys) {
        if (text == null || text.length() < 2 || text.charAt(0) != '{' || text.charAt(text.length() - 1) != '}') {
            throw new IllegalStateException("not an integer array: " + text);
        }
        int n = 0;
        int end = text.length() - 1;
        int i = 1;
        while (i < end) {
            boolean negative = text.charAt(i) == '-';
            if (negative) {
                i++;
            }
            long v = 0;
            int start = i;
            char ch;
            while (i < end && (ch = text.charAt(i)) != ',') {
                if (ch < '0' || ch > '9') {
                    throw new IllegalStateException("not an integer array: " + text);
                }
                v = v * 10 + (ch - '0');
                i++;
            }
            if (i == start) {
                throw new IllegalStateException("not an integer array: " + text);
            }
            i++; // the comma
            if (intoKeys) {
                if (n == keys.length) {
                    keys = Arrays.copyOf(keys, n * 2);
                }
                keys[n++] = (short) (negative ? -v : v);
            } else {
                if (n == counts.length) {
                    counts = Arrays.copyOf(counts, n * 2);
                }
                counts[n++] = negative ? -v : v;
            }
        }
        return n;
    }
}
