package io.mcphub.telemetry.bench;

import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.schema.SchemaMigrator;
import io.mcphub.telemetry.sink.PostgresTelemetrySink;
import io.mcphub.telemetry.sink.SinkSettings;
import io.mcphub.telemetry.sink.SinkStats;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sustained tool-execution throughput into PostgreSQL, end to end: N producer threads publish
 * {@link ToolExecutionRecord}s into a real {@link PostgresTelemetrySink} (ring, batching, staging COPY,
 * merge, exactly-once bookkeeping, row-level security) and the clock stops when {@code flush} returns
 * and every row is counted in the table. For comparison the same kind of rows are written by one
 * thread with plain multi-row {@code INSERT ... VALUES (...),(...)} statements (same role, same RLS,
 * one transaction per batch) into a fresh database of the same schema.
 *
 * <p>Usage: {@code SinkThroughput records=1000000 producers=2 batch=500,2000,5000,10000 flushMs=200 modes=copy,insert}
 */
public final class SinkThroughput {

    private static final String HOST = env("POSTGRES_HOST", "127.0.0.1");
    private static final String PORT = env("POSTGRES_PORT", "5432");
    private static final String USER = env("POSTGRES_USER", "postgres");
    private static final String PASSWORD = env("POSTGRES_PASSWORD", "");
    private static final String TENANT = "bench";
    private static final String[] SERVERS = names("server-", 50);
    private static final String[] TOOLS = names("tool-", 10);
    private static final String[] SESSIONS = names("session-", 64);
    private static final Outcome[] OUTCOMES = Outcome.values();

    public static void main(String[] args) throws Exception {
        long records = Long.parseLong(arg(args, "records", "1000000"));
        int producers = Integer.parseInt(arg(args, "producers", "2"));
        List<Integer> batches = ints(arg(args, "batch", "2000"));
        List<Integer> flushes = ints(arg(args, "flushMs", "200"));
        List<String> modes = List.of(arg(args, "modes", "copy,insert").split(","));
        int insertRowsPerStatement = Integer.parseInt(arg(args, "insertRows", "1000"));
        System.out.printf(Locale.ROOT, "# records=%d producers=%d batches=%s flushMs=%s modes=%s%n",
                records, producers, batches, flushes, modes);
        System.out.println("mode,batch,flush_ms,records,seconds,rows_per_s,stored,ring_full_waits,java_cpu_us_per_row,"
                + "pg_cpu_us_per_row,rows_per_cpu_s,loadavg_before,loadavg_after");
        for (String mode : modes) {
            for (int batch : batches) {
                for (int flush : mode.equals("copy") ? flushes : List.of(0)) {
                    String load = loadAverage();
                    Result r = mode.equals("copy")
                            ? runSink(records, producers, batch, flush)
                            : runInsert(records, batch, insertRowsPerStatement);
                    double javaUs = r.javaCpuNanos / 1e3 / records;
                    double pgUs = r.pgCpuNanos / 1e3 / records;
                    System.out.printf(Locale.ROOT, "%s,%d,%d,%d,%.2f,%.0f,%d,%d,%.2f,%.2f,%.0f,%s,%s%n", mode, batch, flush,
                            records, r.seconds, records / r.seconds, r.stored, r.retries, javaUs, pgUs,
                            1e6 / (javaUs + pgUs), load, loadAverage());
                }
            }
        }
    }

    /** CPU is counted too: on a machine shared with other work, CPU per row is the stable figure. */
    record Result(double seconds, long stored, long retries, long javaCpuNanos, long pgCpuNanos) {
    }

    private static long javaCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** User+system CPU of the PostgreSQL backends serving this database (same machine only; 0 otherwise). */
    private static long pgCpu(ThrowawayDatabase db) {
        long ticks = 0;
        try (Connection c = DriverManager.getConnection(ThrowawayDatabase.url("postgres"), USER, PASSWORD);
             PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ?")) {
            ps.setString(1, db.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ticks += procTicks(rs.getInt(1));
                }
            }
        } catch (SQLException e) {
            return 0;
        }
        return ticks * 10_000_000L; // USER_HZ = 100
    }

    static long procTicks(int pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    private static Result runSink(long records, int producers, int batch, int flushMs) throws Exception {
        try (ThrowawayDatabase db = ThrowawayDatabase.create()) {
            SinkSettings settings = SinkSettings.builder()
                    .timescaleWanted(false)
                    .batchSize(batch)
                    .flushInterval(Duration.ofMillis(flushMs))
                    .tenant(TENANT)
                    .build();
            try (PostgresTelemetrySink sink = PostgresTelemetrySink.start(settings, new DatabaseTarget(db.url(), USER, PASSWORD, null))) {
                warmUp(sink, Math.min(200_000, records / 5));
                long before = db.count();
                AtomicLong fullRing = new AtomicLong();
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                long perProducer = records / producers;
                for (int p = 0; p < producers; p++) {
                    Thread t = new Thread(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        long waits = 0;
                        for (long i = 0; i < perProducer; i++) {
                            ToolExecutionRecord r = record(i);
                            // A full ring means the database is the bottleneck: wait for it instead of
                            // measuring drops (production drops and counts them).
                            while (!sink.publish(r)) {
                                waits++;
                                LockSupport.parkNanos(200_000);
                            }
                        }
                        fullRing.addAndGet(waits);
                    }, "producer-" + p);
                    t.start();
                    threads.add(t);
                }
                long cpu0 = javaCpu();
                long pg0 = pgCpu(db);
                long t0 = System.nanoTime();
                start.countDown();
                for (Thread t : threads) {
                    t.join();
                }
                if (!sink.flush(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("flush timed out");
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long javaCpu = javaCpu() - cpu0;
                long pgCpu = pgCpu(db) - pg0;
                long stored = db.count() - before;
                SinkStats.Snapshot s = sink.stats();
                if (s.rejected() > 0 || s.lost() > 0) {
                    throw new IllegalStateException("sink rejected/lost rows: " + s);
                }
                return new Result(seconds, stored, fullRing.get(), javaCpu, pgCpu);
            }
        }
    }

    private static void warmUp(PostgresTelemetrySink sink, long n) {
        for (long i = 0; i < n; i++) {
            while (!sink.publish(record(i))) {
                LockSupport.parkNanos(200_000);
            }
        }
        sink.flush(Duration.ofMinutes(5));
    }

    /** One writer thread, multi-row INSERT statements as mcp_hub_app under RLS, one transaction per batch. */
    private static Result runInsert(long records, int batch, int rowsPerStatement) throws Exception {
        try (ThrowawayDatabase db = ThrowawayDatabase.create()) {
            try (Connection admin = db.connect()) {
                new SchemaMigrator(false).migrate(admin);
                SchemaMigrator.configureAppRole(admin, null);
                try (Statement st = admin.createStatement()) {
                    st.execute("SELECT mcp_telemetry_maintain(30, 3)");
                }
            }
            try (Connection c = db.connect()) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET ROLE " + SchemaMigrator.APP_ROLE);
                }
                c.setAutoCommit(false);
                writeInserts(c, Math.min(200_000, records / 5), batch, rowsPerStatement);
                long before = db.count();
                long cpu0 = javaCpu();
                long pg0 = pgCpu(db);
                long t0 = System.nanoTime();
                writeInserts(c, records, batch, rowsPerStatement);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long javaCpu = javaCpu() - cpu0;
                long pgCpu = pgCpu(db) - pg0;
                return new Result(seconds, db.count() - before, 0, javaCpu, pgCpu);
            }
        }
    }

    private static final String COLUMNS = "(tenant_id, instance_id, server_name, tool_name, started_at, duration_us, "
            + "outcome, error_class, error_message, argument_bytes, result_bytes, session_id, request_id, arguments, "
            + "result, side)";

    private static void writeInserts(Connection c, long records, int batch, int rowsPerStatement) throws SQLException {
        int perStatement = Math.min(batch, rowsPerStatement);
        PreparedStatement full = c.prepareStatement(insertSql(perStatement));
        long i = 0;
        while (i < records) {
            try (PreparedStatement tenant = c.prepareStatement("SELECT set_config('mcp.tenant_id', ?, true)")) {
                tenant.setString(1, TENANT);
                tenant.execute();
            }
            long batchEnd = Math.min(records, i + batch);
            while (i < batchEnd) {
                int n = (int) Math.min(perStatement, batchEnd - i);
                PreparedStatement ps = n == perStatement ? full : c.prepareStatement(insertSql(n));
                int p = 1;
                for (int k = 0; k < n; k++, i++) {
                    ToolExecutionRecord r = record(i);
                    ps.setString(p++, r.tenantId());
                    ps.setString(p++, r.instanceId());
                    ps.setString(p++, r.serverName());
                    ps.setString(p++, r.toolName());
                    ps.setTimestamp(p++, Timestamp.from(Times.ofMicros(r.startedAtMicros())));
                    ps.setLong(p++, r.durationMicros());
                    ps.setString(p++, r.outcome().sqlName());
                    ps.setString(p++, r.errorClass());
                    ps.setString(p++, r.errorMessage());
                    ps.setObject(p++, r.argumentBytes(), java.sql.Types.INTEGER);
                    ps.setObject(p++, r.resultBytes(), java.sql.Types.INTEGER);
                    ps.setString(p++, r.sessionId());
                    ps.setString(p++, r.requestId());
                    ps.setString(p++, r.arguments());
                    ps.setString(p++, r.result());
                    ps.setString(p++, r.side().sqlName());
                }
                ps.executeUpdate();
                if (ps != full) {
                    ps.close();
                }
            }
            c.commit();
        }
        full.close();
    }

    private static String insertSql(int rows) {
        StringBuilder sb = new StringBuilder("INSERT INTO tool_executions ").append(COLUMNS).append(" VALUES ");
        String row = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        for (int k = 0; k < rows; k++) {
            sb.append(k == 0 ? "" : ",").append(row);
        }
        return sb.toString();
    }

    /** A realistic downstream call: 50 servers x 10 tools, ~5 % failures, sizes and ids, no payloads. */
    static ToolExecutionRecord record(long i) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int failure = rnd.nextInt(100);
        Outcome outcome = failure < 95 ? Outcome.SUCCESS : OUTCOMES[1 + failure % (OUTCOMES.length - 1)];
        Instant started = Instant.now().minusMillis(rnd.nextInt(60_000));
        return new ToolExecutionRecord(TENANT, "bench-hub-1", SERVERS[(int) (i % SERVERS.length)],
                TOOLS[rnd.nextInt(TOOLS.length)], Times.micros(started, "startedAt"), rnd.nextInt(500_000), outcome,
                outcome == Outcome.EXCEPTION ? "java.io.IOException" : null,
                outcome == Outcome.SUCCESS ? null : "downstream call failed: connection reset",
                80 + rnd.nextInt(400), 200 + rnd.nextInt(4000), SESSIONS[rnd.nextInt(SESSIONS.length)],
                Long.toString(i), null, null, ExecutionSide.DOWNSTREAM);
    }

    /** A database created for one run and dropped afterwards. */
    record ThrowawayDatabase(String name) implements AutoCloseable {
        static ThrowawayDatabase create() throws SQLException {
            String name = "bench_sink_" + Long.toHexString(System.nanoTime());
            try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                 Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
            return new ThrowawayDatabase(name);
        }

        String url() {
            return url(name);
        }

        static String url(String db) {
            return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + db;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url(), USER, PASSWORD);
        }

        long count() throws SQLException {
            try (Connection c = connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM tool_executions")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    static String loadAverage() {
        try {
            String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
            return s.substring(0, s.indexOf(' '));
        } catch (Exception e) {
            return "?";
        }
    }

    private static String[] names(String prefix, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = prefix + i;
        }
        return out;
    }

    private static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }

    static String arg(String[] args, String key, String fallback) {
        for (String a : args) {
            if (a.startsWith(key + "=")) {
                return a.substring(key.length() + 1);
            }
        }
        return fallback;
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    private SinkThroughput() {
    }
}
