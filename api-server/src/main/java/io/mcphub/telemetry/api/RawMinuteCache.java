package io.mcphub.telemetry.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw tool executions of whole minutes (UTC) of a tenant and side, held by the API server for windows up
 * to an hour, which are answered exactly from every row: a window that moved on by seconds or minutes reads
 * again only the rows of its partial minutes at both ends and of the minutes it did not hold, and checks the
 * minutes it holds by one count and maximum id over their span. Raw rows are never updated: they are inserted
 * (with ids from a sequence, so rows written since raise the count and in most cases the maximum) and deleted
 * only by retention and by purging a tenant, which remove whole days, far outside an hour; so a span whose
 * count and maximum id are those of the held minutes holds the held rows. Bounded by an estimate of the
 * bytes held (least recently used out first); safe for concurrent readers: minutes are immutable once held.
 */
public final class RawMinuteCache {
    /**
     * One minute's rows as arrays: per row its tool (an index into {@code servers}/{@code tools}), duration
     * and start (µs since 1970); the failed rows' indexes, ascending, with their kind (the error's class, else
     * the outcome's name), outcome and message. {@code count} and {@code maxId} are what the check compares
     * (0 and 0 for a minute without rows).
     */
    public record Minute(long count, long maxId, String[] servers, String[] tools, int[] tool, long[] durationUs,
                         long[] startedMicros, int[] failedRows, String[] failureClass, String[] outcome, String[] message) {
        long bytes() {
            return 96 + tool.length * 20L + servers.length * 112L + failedRows.length * 160L;
        }
    }

    private final long budgetBytes;
    private final LinkedHashMap<String, Minute> minutes = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    public RawMinuteCache(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("the raw minute cache's budget must be 0 (off) or more bytes, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /** The key of a tenant's minute of one side. */
    public static String key(String tenant, String side, long minuteEpoch) {
        return tenant + '\u0000' + side + '\u0000' + minuteEpoch;
    }

    public synchronized Minute get(String key) {
        return minutes.get(key);
    }

    public synchronized void put(String key, Minute minute) {
        long size = minute.bytes();
        if (size > budgetBytes / 4) {
            return;
        }
        Minute old = minutes.put(key, minute);
        bytes += size - (old == null ? 0 : old.bytes());
        for (Iterator<Map.Entry<String, Minute>> it = minutes.entrySet().iterator(); bytes > budgetBytes && it.hasNext(); ) {
            Map.Entry<String, Minute> eldest = it.next();
            if (eldest.getKey().equals(key)) {
                continue;
            }
            bytes -= eldest.getValue().bytes();
            it.remove();
        }
    }

    /** Forgets every minute (the counters stay). */
    public synchronized void clear() {
        minutes.clear();
        bytes = 0;
    }

    /** Counts a window whose held minutes were still right ({@code hit}), or not (none held, or rows written since). */
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
