package io.mcphub.telemetry.api.prometheus;

/** One histogram series: per-bucket counts (cumulative, as Prometheus' {@code le} buckets are), count and sum. */
final class BucketCounts {
    final double[] bounds;
    final long[] cumulative;
    long count;
    double sum;

    BucketCounts(double[] bounds) {
        this.bounds = bounds;
        this.cumulative = new long[bounds.length];
    }

    synchronized void observe(double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                cumulative[i]++;
            }
        }
        count++;
        sum += value;
    }

    /** Writes {@code _bucket}, {@code _sum} and {@code _count} of this series; {@code labels} alternate names and values. */
    synchronized void write(PromText out, String family, String... labels) {
        String[] withLe = java.util.Arrays.copyOf(labels, labels.length + 2);
        withLe[labels.length] = "le";
        for (int i = 0; i < bounds.length; i++) {
            withLe[labels.length + 1] = PromText.number(bounds[i]);
            out.sample(family + "_bucket", cumulative[i], withLe);
        }
        withLe[labels.length + 1] = "+Inf";
        out.sample(family + "_bucket", count, withLe);
        out.sample(family + "_sum", sum, labels);
        out.sample(family + "_count", count, labels);
    }
}
