package io.mcphub.telemetry.bench;

import static io.mcphub.telemetry.bench.BenchArgs.arg;

import io.mcphub.telemetry.model.ApiRequestRecord;
import io.mcphub.telemetry.model.OAuthFlowRecord;
import io.mcphub.telemetry.model.OAuthOutcome;
import io.mcphub.telemetry.model.OAuthPhase;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.sink.DigestCompaction;
import io.mcphub.telemetry.sink.PostgresTelemetrySink;
import io.mcphub.telemetry.sink.SinkSettings;
import io.mcphub.telemetry.sink.SinkStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The data of benchmark 4 (the API at scale), written the way a hub writes it: a new database on one
 * layout's server, the registry and side tables from {@code bench/api-at-scale.sql}, then {@code rows}
 * tool executions (and {@code rows / 20} API requests and {@code rows / 500} OAuth flows) over the last
 * {@code days} days sent through the real sink (so the rollups are the
 * sink's own increments, compacted as its maintenance compacts them).
 *
 * <p>Usage: {@code ApiScaleData layout=plain db=mcp_bench_api rows=10000000 days=30 sql=bench/api-at-scale.sql}
 *
 * <p>Executions: 3 tenants in turn, 50 servers, tool {@code k} of a server with weight ~1/(k+1), durations
 * log-uniform 1 ms to 1.1 s (3.3 s for tool_9), ~5 % failures of four kinds, spread evenly over the period.
 */
public final class ApiScaleData {

    public static void main(String[] args) throws Exception {
        StorageLayout layout = StorageLayout.fromTag(arg(args, "layout", "plain"));
        String name = arg(args, "db", "mcp_bench_api");
        long rows = Long.parseLong(arg(args, "rows", "10000000"));
        int days = Integer.parseInt(arg(args, "days", "30"));
        Path sql = Path.of(arg(args, "sql", "bench/api-at-scale.sql"));
        Instant now = Instant.now();
        long t0 = System.nanoTime();

        BenchDatabase db = BenchDatabase.create(layout, name);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            if (layout != StorageLayout.TIMESCALE) { // hypertables make their chunks as rows arrive
                LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
                for (int d = -days - 1; d <= 1; d++) {
                    st.execute("SELECT mcp_telemetry_ensure_partition(table_name, DATE '" + today.plusDays(d)
                            + "') FROM telemetry_timeseries");
                }
            }
            for (String statement : statements(Files.readString(sql), rows, days)) {
                st.execute(statement);
            }
        }
        System.out.printf(Locale.ROOT, "# %s: database %s made, registry and side tables loaded in %.0f s%n",
                layout.sqlName(), name, (System.nanoTime() - t0) / 1e9);

        long t1 = System.nanoTime();
        SinkSettings settings = SinkSettings.builder().layout(layout).batchSize(10_000).ringSize(1 << 17)
                .flushInterval(Duration.ofMillis(200)).retentionDays(days + 10).statsInterval(Duration.ofHours(1))
                .tenant("tenant-1").build();
        try (PostgresTelemetrySink sink = PostgresTelemetrySink.start(settings, db.owner())) {
            double periodMicros = days * 86_400e6;
            long nowMicros = Times.micros(now, "now");
            for (long i = 0; i < rows; i++) {
                ToolExecutionRecord r = execution(i, new SplittableRandom(i), nowMicros - (long) (i * periodMicros / rows));
                publish(sink, r);
            }
            long requests = rows / 20;
            SplittableRandom latency = new SplittableRandom(rows);
            for (long i = 1; i <= requests; i++) {
                publish(sink, apiRequest(i, latency, now.minusNanos((long) (i * periodMicros / requests) * 1_000L)));
            }
            long flows = rows / 500;
            SplittableRandom flowDuration = new SplittableRandom(-rows);
            for (long i = 1; i <= flows; i++) {
                publish(sink, oauthFlow(i, flowDuration, now.minusNanos((long) (i * periodMicros / flows) * 1_000L)));
            }
            if (!sink.flush(Duration.ofMinutes(30))) {
                throw new IllegalStateException("the sink did not drain in 30 minutes: " + sink.stats());
            }
            SinkStats.Snapshot s = sink.stats();
            if (s.written() < rows + requests + flows || s.lost() > 0) {
                throw new IllegalStateException("the sink wrote " + s.written() + " of " + (rows + requests + flows) + ": " + s);
            }
        }
        System.out.printf(Locale.ROOT, "# %d executions, %d API requests and %d OAuth flows through the sink in %.0f s%n", rows,
                rows / 20, rows / 500,
                (System.nanoTime() - t1) / 1e9);

        long t2 = System.nanoTime();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            // what the sink's maintenance does on its schedule: increments merged, aggregates refreshed
            st.execute("SELECT mcp_telemetry_compact(" + (days + 10) + ")");
            DigestCompaction.run(c);
            if (layout == StorageLayout.TIMESCALE) {
                try (ResultSet rs = st.executeQuery("SELECT format('%I.%I', view_schema, view_name) "
                        + "FROM timescaledb_information.continuous_aggregates ORDER BY 1")) {
                    List<String> caggs = new ArrayList<>();
                    while (rs.next()) {
                        caggs.add(rs.getString(1));
                    }
                    for (String cagg : caggs) {
                        st.execute("CALL refresh_continuous_aggregate('" + cagg + "', NULL, NULL)");
                    }
                }
            }
            st.execute("VACUUM ANALYZE");
            try (ResultSet rs = st.executeQuery("SELECT count(*), pg_size_pretty(pg_database_size(current_database())) "
                    + "FROM tool_executions")) {
                rs.next();
                System.out.printf(Locale.ROOT, "# %d executions stored, database %s; compacted and analyzed in %.0f s%n",
                        rs.getLong(1), rs.getString(2), (System.nanoTime() - t2) / 1e9);
            }
        }
    }

    private static void publish(PostgresTelemetrySink sink, TelemetryRecord r) {
        while (!sink.publish(r)) { // a full ring: the database sets the pace
            LockSupport.parkNanos(200_000);
        }
    }

    /** Request {@code i} of the hubs' REST traffic: routes, methods and statuses in turn, log-uniform latency. */
    static ApiRequestRecord apiRequest(long i, SplittableRandom rnd, Instant occurredAt) {
        int tenant = (int) (1 + i % 3);
        String[] routes = {"/api/health", "/api/servers", "/api/servers/{id}/tools/{id}/call", "/mcp"};
        int status = i % 50 == 0 ? 500 : i % 23 == 0 ? 404 : 200;
        return new ApiRequestRecord("tenant-" + tenant, occurredAt, "hub-" + tenant, i % 2 == 0 ? "GET" : "POST",
                routes[(int) (i % 4)], status, (long) (Math.exp(rnd.nextDouble() * 6) * 1000), 200L, 1500L);
    }

    /** OAuth flow {@code i}: one client-credentials token request, every twentieth failing. */
    static OAuthFlowRecord oauthFlow(long i, SplittableRandom rnd, Instant occurredAt) {
        int tenant = (int) (1 + i % 3);
        return new OAuthFlowRecord("tenant-" + tenant, occurredAt, "flow-" + i, "hub-" + tenant, "auth.example",
                "client_credentials", OAuthPhase.TOKEN, i % 20 == 0 ? OAuthOutcome.FAILURE : OAuthOutcome.SUCCESS,
                50_000L + rnd.nextLong(200_000), i % 20 == 0 ? "invalid_client" : null);
    }

    static ToolExecutionRecord execution(long i, SplittableRandom rnd, long startedAtMicros) {
        int tenant = (int) (1 + i % 3);
        int server = (int) (1 + (i / 3) % 50);
        int tool = (int) Math.floor(-Math.log(1 - rnd.nextDouble() * 0.99995) * 2.2) % 10;
        long duration = (long) (Math.exp(rnd.nextDouble() * 7) * 1000 * (tool == 9 ? 3 : 1));
        double e = rnd.nextDouble();
        Outcome outcome = e < 0.035 ? Outcome.TOOL_ERROR : e < 0.045 ? Outcome.EXCEPTION : e < 0.049 ? Outcome.TIMEOUT
                : e < 0.05 ? Outcome.PROTOCOL_ERROR : Outcome.SUCCESS;
        String errorClass = outcome == Outcome.EXCEPTION ? "java.io.IOException"
                : outcome == Outcome.PROTOCOL_ERROR ? "McpError" : null;
        return new ToolExecutionRecord("tenant-" + tenant, "hub-" + tenant, String.format(Locale.ROOT, "server-%02d", server),
                "tool_" + tool, startedAtMicros, duration, outcome, errorClass,
                outcome == Outcome.SUCCESS ? null : "benchmark failure " + (i % 7),
                100 + rnd.nextInt(900), 200 + rnd.nextInt(4000), "session-" + (i % 1000), Long.toString(i % 100_000),
                null, null, ExecutionSide.DOWNSTREAM);
    }

    /** The file's statements, its {@code :rows} and {@code :days} filled in; comments and blank lines dropped. */
    static List<String> statements(String text, long rows, int days) {
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.startsWith("--") && !line.isBlank()) {
                body.append(line.replace(":rows", Long.toString(rows)).replace(":days", Integer.toString(days))).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : body.toString().split(";\n")) {
            if (!s.isBlank()) {
                out.add(s);
            }
        }
        return out;
    }

    private ApiScaleData() {
    }
}
