package io.mcphub.telemetry.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * <p>Bounded by the bytes of the merged digests it holds (least recently used out first); per API server,
 * so per database. Safe for concurrent readers: entries are immutable, and two readers building the same
 * key at once both store a right answer.
 */
public final class DigestCache {
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

    private final long budgetBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    public DigestCache(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("the digest cache's budget must be 0 (off) or more bytes, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /** The merge last stored under {@code key}, or null. */
    public synchronized Entry get(String key) {
        return entries.get(key);
    }

    /** Whether a merge of {@code bytes} would be kept: up to a quarter of the budget. */
    public boolean admits(long bytes) {
        return bytes <= budgetBytes / 4;
    }

    /** Stores {@code entry} under {@code key}, unless it is larger than {@link #admits} allows. */
    public synchronized void put(String key, Entry entry) {
        long size = entry.bytes();
        if (!admits(size)) {
            return;
        }
        Entry old = entries.put(key, entry);
        bytes += size - (old == null ? 0 : old.bytes());
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); bytes > budgetBytes && it.hasNext(); ) {
            Map.Entry<String, Entry> eldest = it.next();
            if (eldest.getKey().equals(key)) {
                continue;
            }
            bytes -= eldest.getValue().bytes();
            it.remove();
        }
    }

    /** Forgets every merge (the counters stay). */
    public synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    /** Counts a read answered from a held merge ({@code hit}) or built anew. */
    public synchronized void count(boolean hit) {
        if (hit) {
            hits++;
        } else {
            misses++;
        }
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public boolean enabled() {
        return budgetBytes > 0;
    }
}
