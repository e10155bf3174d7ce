package io.mcphub.telemetry.api;

import java.util.Set;

/**
 * The tool digests of a window's buckets (V010, V012) merged into one, kept by the identities of the rows
 * merged. Digest rows are only ever inserted and deleted (compaction deletes a key's rows and inserts their
 * merge), never updated, so a row's identity ({@code xmin} and {@code ctid}: the transaction that wrote it
 * and where it lies) stands for its content for as long as the row lives. A reader sends the identities it
 * holds, gets every row's identity back and the digest only of the rows it does not hold; when each held row
 * is still there, its merge is still right, and only the rows written since are read and added. A long
 * window then reads one merged digest instead of one per bucket (30 days: ~2 MB of digests read, sent
 * and decoded per request), and the database skips those rows' out-of-line values.
 *
 * <p>Bounded by the bytes of the merged digests it holds ({@link ByteBudgetCache}); per API server, so per
 * database. Two readers building the same key at once both store a right answer.
 */
public final class DigestCache extends ByteBudgetCache<DigestCache.Entry> {
    /** What the API server holds at most: a 30-day window of 500 tools merges to ~260 KB. */
    public static final long DEFAULT_BUDGET_BYTES = 16L << 20;
    /** Per identity: its text and the set's share. */
    private static final int BYTES_PER_ROW = 96;

    /**
     * The rows of one window shape merged: {@code rows} their identities (as the digest views' {@code
     * row_version} gives them, prefixed by the table's grain), {@code merged} one digest of all of them.
     */
    public record Entry(Set<String> rows, byte[] merged) {
        long bytes() {
            return merged.length + (long) rows.size() * BYTES_PER_ROW;
        }
    }

    public DigestCache(long budgetBytes) {
        super(budgetBytes, "the digest cache");
    }

    @Override
    protected long sizeOf(Entry entry) {
        return entry.bytes();
    }
}
