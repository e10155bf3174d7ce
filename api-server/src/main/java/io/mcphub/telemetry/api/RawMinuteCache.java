package io.mcphub.telemetry.api;

/**
 * The raw tool executions of whole minutes (UTC) of a tenant and side, held by the API server for windows up
 * to an hour, which are answered exactly from every row: a window that moved on by seconds or minutes reads
 * again only the rows of its partial minutes at both ends and of the minutes it did not hold, and checks the
 * minutes it holds by one count and maximum id over their span. Raw rows are never updated: they are inserted
 * (with ids from a sequence, so rows written since raise the count and in most cases the maximum) and deleted
 * only by retention and by purging a tenant, which remove whole days, far outside an hour; so a span whose
 * count and maximum id are those of the held minutes holds the held rows. Bounded by an estimate of the
 * bytes held ({@link ByteBudgetCache}). Its reads count a hit when the held minutes were still right, a miss
 * when none were held or rows were written since.
 */
public final class RawMinuteCache extends ByteBudgetCache<RawMinuteCache.Minute> {
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

    public RawMinuteCache(long budgetBytes) {
        super(budgetBytes, "the raw minute cache");
    }

    /** The key of a tenant's minute of one side. */
    public static String key(String tenant, String side, long minuteEpoch) {
        return tenant + '\u0000' + side + '\u0000' + minuteEpoch;
    }

    @Override
    protected long sizeOf(Minute minute) {
        return minute.bytes();
    }
}
