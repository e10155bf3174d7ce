package io.mcphub.telemetry.sink;

import static io.mcphub.telemetry.bench.BenchArgs.arg;
import static io.mcphub.telemetry.bench.BenchArgs.loadAverage;

import io.mcphub.telemetry.bench.BenchDatabase;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.schema.SchemaMigrator;
import io.mcphub.telemetry.schema.TenantLogins;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Sustained tool-execution throughput into one storage layout's real server, side by side in one run:
 * <ul>
 * <li>{@code raw}: the physical limit the sink is held to — one connection, binary COPY of the same
 *     rows (encoded by the sink's own encoder) into a table of the same columns with one btree
 *     (tenant_id, started_at), one transaction per batch; on Citus that table distributed likewise.</li>
 * <li>{@code raw2}: the same over two connections side by side, as the sink's two write lanes do.</li>
 * <li>{@code sink}: the real {@link PostgresTelemetrySink} with the schema owner's login — producers
 *     publish into the ring; batching, binary COPY into the (partitioned / hyper / distributed)
 *     table with its indexes, rollup increments, exactly-once bookkeeping; the clock stops when flush
 *     returns.</li>
 * <li>{@code tenant}: the same sink logged in as the tenant's own login (staging tables and
 *     {@code INSERT ... SELECT} under row-level security).</li>
 * </ul>
 * CPU of the JVM and of every PostgreSQL backend of the database (on every Citus node) is counted too,
 * since on a shared machine CPU per row is the stabler figure. Usage:
 * {@code SinkThroughput layout=plain records=2000000 batch=10000 producers=2 modes=raw,raw2,sink,tenant}
 */
public final class SinkThroughput {

    private static final String TENANT = "bench";
    /** Calls written before the clock starts, in every mode. */
    private static final int WARM_UP = 200_000;
    private static final String[] SERVERS = names("server-", 50);
    private static final String[] TOOLS = names("tool-", 10);
    private static final String[] SESSIONS = names("session-", 64);

    record Result(String mode, double seconds, long stored, long javaCpuNanos, long pgCpuNanos) {
    }

    public static void main(String[] args) throws Exception {
        StorageLayout layout = StorageLayout.fromTag(arg(args, "layout", "plain"));
        int records = Integer.parseInt(arg(args, "records", "2000000"));
        int batch = Integer.parseInt(arg(args, "batch", "10000"));
        int producers = Integer.parseInt(arg(args, "producers", "2"));
        List<String> modes = List.of(arg(args, "modes", "raw,raw2,sink,tenant").split(","));
        System.out.printf(Locale.ROOT, "# layout=%s records=%d batch=%d producers=%d modes=%s%n", layout.sqlName(), records,
                batch, producers, modes);
        // made as they are sent (as a hub makes them), the same ones in every mode
        Rows rows = new Rows(records, Instant.now());
        System.out.println("layout,mode,records,seconds,rows_per_s,stored,java_cpu_us_per_row,pg_cpu_us_per_row,loadavg");
        List<Result> results = new ArrayList<>();
        for (String mode : modes) {
            try (BenchDatabase db = BenchDatabase.create(layout, "bench_sink_" + Long.toHexString(System.nanoTime()))) {
                Result r = switch (mode) {
                    case "raw" -> raw(db, rows, batch, 1);
                    case "raw2" -> raw(db, rows, batch, 2);
                    case "sink" -> sink(db, db.owner(), rows, batch, producers);
                    case "tenant" -> sink(db, db.tenantLogin(TENANT, "bench-tenant-password"), rows, batch, producers);
                    default -> throw new IllegalArgumentException("unknown mode " + mode);
                };
                if (r.stored() != records) {
                    throw new IllegalStateException(mode + " stored " + r.stored() + " of " + records + " rows");
                }
                results.add(r);
                System.out.printf(Locale.ROOT, "%s,%s,%d,%.2f,%.0f,%d,%.2f,%.2f,%s%n", layout.sqlName(), mode, records,
                        r.seconds(), records / r.seconds(), r.stored(), r.javaCpuNanos() / 1e3 / records,
                        r.pgCpuNanos() / 1e3 / records, loadAverage());
            }
        }
        Result base = results.stream().filter(r -> r.mode().equals("raw")).findFirst().orElse(null);
        if (base != null) {
            for (Result r : results) {
                if (r != base) {
                    System.out.printf(Locale.ROOT, "# %s / raw: %.2f x the rows/s, %.2f x the PostgreSQL CPU per row%n",
                            r.mode(), base.seconds() / r.seconds(), (double) r.pgCpuNanos() / base.pgCpuNanos());
                }
            }
        }
    }

    /** The calls of a run: call {@code i} is the same in every mode, made when it is sent. */
    record Rows(int length, Instant now) {
        ToolExecutionRecord get(int i) {
            return record(i, new SplittableRandom(i), now);
        }
    }

    /**
     * Binary COPY into one plain table with one btree, one transaction per batch, over {@code connections}
     * connections side by side (batches dealt out in turn).
     */
    private static Result raw(BenchDatabase db, Rows rows, int batch, int connections) throws Exception {
        TableSpec<?> spec = Tables.of(rows.get(0));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE raw_executions (LIKE " + db.executionsTable() + ")");
            st.execute("ALTER TABLE raw_executions ALTER COLUMN id SET DEFAULT nextval('tool_executions_id_seq'), "
                    + "ALTER COLUMN side SET DEFAULT 'downstream'");
            st.execute("CREATE INDEX ON raw_executions (tenant_id, started_at)");
            if (db.layout() == StorageLayout.CITUS) {
                st.execute("SELECT create_distributed_table('raw_executions', 'tenant_id', colocate_with => 'tenants')");
            }
            // the connections stay open from warm-up to the end, so their backends' CPU can be read
            List<Connection> lanes = new ArrayList<>();
            try {
                for (int k = 0; k < connections; k++) {
                    Connection lane = db.connect();
                    lane.setAutoCommit(false);
                    lanes.add(lane);
                }
                copyAll(lanes, spec, new Rows(WARM_UP, rows.now().minusSeconds(1)), rows.length(), batch);
                long before = db.count(c, "raw_executions");
                long cpu0 = javaCpu();
                long pg0 = db.backendCpu();
                long t0 = System.nanoTime();
                copyAll(lanes, spec, rows, 0, batch);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long javaCpu = javaCpu() - cpu0;
                long pgCpu = db.backendCpu() - pg0;
                return new Result(connections == 1 ? "raw" : "raw" + connections, seconds,
                        db.count(c, "raw_executions") - before, javaCpu, pgCpu);
            } finally {
                for (Connection lane : lanes) {
                    lane.close();
                }
            }
        }
    }

    /** Copies every batch of {@code rows} (call ids offset by {@code offset}), connection k taking batches k, k+n, ... */
    private static void copyAll(List<Connection> lanes, TableSpec<?> spec, Rows rows, int offset, int batch)
            throws Exception {
        int connections = lanes.size();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int k = 0; k < connections; k++) {
            int lane = k;
            Thread t = new Thread(() -> {
                try {
                    Connection c = lanes.get(lane);
                    CopyEncoder encoder = new CopyEncoder();
                    for (int from = lane * batch; from < rows.length(); from += connections * batch) {
                        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(spec.copySql("raw_executions"));
                        encoder.begin(in::writeToCopy);
                        for (int i = from; i < Math.min(rows.length(), from + batch); i++) {
                            spec.encodeRow(rows.get(offset + i), encoder);
                        }
                        encoder.finish();
                        in.endCopy();
                        c.commit();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "raw-copy-" + k);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static Result sink(BenchDatabase db, DatabaseTarget target, Rows rows, int batch, int producers)
            throws Exception {
        SinkSettings settings = SinkSettings.builder().layout(db.layout()).batchSize(batch)
                .ringSize(Integer.highestOneBit(Math.max(batch * 8, 1 << 16)))
                .flushInterval(Duration.ofMillis(200)).statsInterval(Duration.ofHours(1)).tenant(TENANT).build();
        String mode = TenantLogins.tenantOf(target.user()) == null ? "sink" : "tenant";
        try (PostgresTelemetrySink sink = PostgresTelemetrySink.start(settings, target)) {
            // warm-up (JIT, pool, partitions), with calls the timed part does not repeat
            Rows warm = new Rows(WARM_UP, rows.now().minusSeconds(1));
            for (int i = 0; i < warm.length(); i++) {
                ToolExecutionRecord r = warm.get(rows.length() + i);
                while (!sink.publish(r)) {
                    LockSupport.parkNanos(100_000);
                }
            }
            sink.flush(Duration.ofMinutes(5));
            long before;
            try (Connection c = db.connect()) {
                before = db.count(c, "tool_executions");
            }
            long acceptedBefore = sink.stats().accepted();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int first = p;
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = first; i < rows.length(); i += producers) {
                        ToolExecutionRecord r = rows.get(i);
                        // a full ring means the database is the bottleneck: wait (each refused publish counts as dropped)
                        while (!sink.publish(r)) {
                            LockSupport.parkNanos(100_000);
                        }
                    }
                }, "producer-" + p);
                t.start();
                threads.add(t);
            }
            long cpu0 = javaCpu();
            long pg0 = db.backendCpu();
            long t0 = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            if (!sink.flush(Duration.ofMinutes(20))) {
                throw new IllegalStateException("flush timed out");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long javaCpu = javaCpu() - cpu0;
            long pgCpu = db.backendCpu() - pg0;
            if (Boolean.getBoolean("bench.threads")) {
                java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
                for (java.lang.management.ThreadInfo ti : tm.dumpAllThreads(false, false)) {
                    long cpu = tm.getThreadCpuTime(ti.getThreadId());
                    if (cpu > 100_000_000L) {
                        System.out.printf(Locale.ROOT, "#   thread %s: %.2f s CPU%n", ti.getThreadName(), cpu / 1e9);
                    }
                }
            }
            SinkStats.Snapshot s = sink.stats();
            if (s.rejected() > 0 || s.lost() > 0 || s.accepted() - acceptedBefore != rows.length()) {
                throw new IllegalStateException("sink rejected or lost rows: " + s);
            }
            try (Connection c = db.connect()) {
                return new Result(mode, seconds, db.count(c, "tool_executions") - before, javaCpu, pgCpu);
            }
        }
    }

    /** A realistic downstream call: 50 servers x 10 tools, ~5 % failures, sizes and ids, no payloads. */
    static ToolExecutionRecord record(int i, SplittableRandom rnd, Instant now) {
        int failure = rnd.nextInt(100);
        Outcome outcome = failure < 95 ? Outcome.SUCCESS : Outcome.values()[1 + failure % (Outcome.values().length - 1)];
        Instant started = now.minusMillis(rnd.nextInt(600_000));
        return new ToolExecutionRecord(TENANT, "bench-hub-1", SERVERS[i % SERVERS.length], TOOLS[rnd.nextInt(TOOLS.length)],
                Times.micros(started, "startedAt"), 1 + (long) Math.exp(rnd.nextDouble() * 13), outcome,
                outcome == Outcome.EXCEPTION ? "java.io.IOException" : null,
                outcome == Outcome.SUCCESS ? null : "downstream call failed: connection reset",
                80 + rnd.nextInt(400), 200 + rnd.nextInt(4000), SESSIONS[rnd.nextInt(SESSIONS.length)],
                Integer.toString(i), null, null, ExecutionSide.DOWNSTREAM);
    }

    private static long javaCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String[] names(String prefix, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = prefix + i;
        }
        return out;
    }

    private SinkThroughput() {
    }
}
