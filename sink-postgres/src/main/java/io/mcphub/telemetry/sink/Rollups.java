package io.mcphub.telemetry.sink;

import static io.mcphub.telemetry.sink.TableSpec.bigint;
import static io.mcphub.telemetry.sink.TableSpec.bigints;
import static io.mcphub.telemetry.sink.TableSpec.bytes;
import static io.mcphub.telemetry.sink.TableSpec.named;
import static io.mcphub.telemetry.sink.TableSpec.smallints;
import static io.mcphub.telemetry.sink.TableSpec.text;
import static io.mcphub.telemetry.sink.TableSpec.texts;
import static io.mcphub.telemetry.sink.TableSpec.timeMicros;

import io.mcphub.telemetry.model.ApiRequestRecord;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.LatencyHistogram;
import io.mcphub.telemetry.model.OAuthFlowRecord;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolDigest;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.schema.DigestRows;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rollup increments of one batch's tool executions, written in the batch's own transaction: per
 * tool by hour and day, the same as one digest per tenant, side and hour or day, and per tenant by hour (with a latency
 * histogram), the hub's API requests per tenant by hour, the OAuth flow steps per tenant by day, and on the partitioned layouts also per tenant by
 * minute and per failing tool and error class by hour and day (TimescaleDB derives those with
 * continuous aggregates). The increments of a key add up; maintenance merges them.
 */
final class Rollups {

    private static final long MINUTE = 60_000_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /** One increment of {@code rollup_tool_1h} / {@code rollup_tool_1d}. */
    record ToolRow(String tenantId, long bucketMicros, String serverName, String toolName, ExecutionSide side, long calls,
                   long errors, long totalMicros, long minMicros, long maxMicros, long lastStartedMicros, short[] keys,
                   long[] counts) {
    }

    /** One increment of {@code rollup_tool_digest_1h} / {@code _1d}: the tools of {@link ToolRow}s of one bucket and side. */
    record DigestRow(String tenantId, long bucketMicros, ExecutionSide side, byte[] digest) {
    }

    /** One increment of {@code rollup_tenant_1h}. */
    record TenantHourRow(String tenantId, long bucketMicros, ExecutionSide side, long calls, long errors, long totalMicros,
                         long maxMicros, short[] keys, long[] counts) {
    }

    /** One increment of {@code rollup_api_1h}. */
    record ApiHourRow(String tenantId, long bucketMicros, long requests, long serverErrors, short[] keys, long[] counts) {
    }

    /** One increment of {@code rollup_oauth_1d}: a day's OAuth flow steps and the ids of their flows. */
    record OAuthDayRow(String tenantId, long bucketMicros, long steps, long success, long failure, long pending,
                       long durationMicros, long durations, String[] flowIds) {
    }

    /** One increment of {@code rollup_tenant_1m}. */
    record TenantRow(String tenantId, long bucketMicros, ExecutionSide side, long calls, long errors, long totalMicros,
                     long maxMicros) {
    }

    /** One increment of {@code rollup_error_1h} / {@code rollup_error_1d}. */
    record ErrorRow(String tenantId, long bucketMicros, String serverName, String toolName, ExecutionSide side,
                    String errorClass, Outcome outcome, long errors, long lastSeenMicros, String lastMessage) {
    }

    static final TableSpec<ToolRow> TOOL_1H = toolSpec("rollup_tool_1h");
    static final TableSpec<ToolRow> TOOL_1D = toolSpec("rollup_tool_1d");
    static final TableSpec<DigestRow> DIGEST_1H = digestSpec(DigestRows.HOURS);
    static final TableSpec<DigestRow> DIGEST_1D = digestSpec(DigestRows.DAYS);
    static final TableSpec<TenantHourRow> TENANT_1H = TableSpec.append(TenantHourRow.class, "rollup_tenant_1h",
            text("tenant_id", TenantHourRow::tenantId), timeMicros("bucket", TenantHourRow::bucketMicros),
            named("side", TenantHourRow::side), bigint("calls", TenantHourRow::calls),
            bigint("errors", TenantHourRow::errors), bigint("total_duration_us", TenantHourRow::totalMicros),
            bigint("max_duration_us", TenantHourRow::maxMicros), smallints("latency_keys", TenantHourRow::keys),
            bigints("latency_counts", TenantHourRow::counts));
    static final TableSpec<ApiHourRow> API_1H = TableSpec.append(ApiHourRow.class, "rollup_api_1h",
            text("tenant_id", ApiHourRow::tenantId), timeMicros("bucket", ApiHourRow::bucketMicros),
            bigint("requests", ApiHourRow::requests), bigint("server_errors", ApiHourRow::serverErrors),
            smallints("latency_keys", ApiHourRow::keys), bigints("latency_counts", ApiHourRow::counts));
    static final TableSpec<OAuthDayRow> OAUTH_1D = TableSpec.append(OAuthDayRow.class, "rollup_oauth_1d",
            text("tenant_id", OAuthDayRow::tenantId), timeMicros("bucket", OAuthDayRow::bucketMicros),
            bigint("steps", OAuthDayRow::steps), bigint("success", OAuthDayRow::success),
            bigint("failure", OAuthDayRow::failure), bigint("pending", OAuthDayRow::pending),
            bigint("duration_us", OAuthDayRow::durationMicros), bigint("durations", OAuthDayRow::durations),
            texts("flow_ids", OAuthDayRow::flowIds));
    static final TableSpec<TenantRow> TENANT_1M = TableSpec.append(TenantRow.class, "rollup_tenant_1m",
            text("tenant_id", TenantRow::tenantId), timeMicros("bucket", TenantRow::bucketMicros),
            named("side", TenantRow::side), bigint("calls", TenantRow::calls), bigint("errors", TenantRow::errors),
            bigint("total_duration_us", TenantRow::totalMicros), bigint("max_duration_us", TenantRow::maxMicros));
    static final TableSpec<ErrorRow> ERROR_1H = errorSpec("rollup_error_1h");
    static final TableSpec<ErrorRow> ERROR_1D = errorSpec("rollup_error_1d");

    private static TableSpec<ToolRow> toolSpec(String table) {
        return TableSpec.append(ToolRow.class, table,
                text("tenant_id", ToolRow::tenantId), timeMicros("bucket", ToolRow::bucketMicros),
                text("server_name", ToolRow::serverName), text("tool_name", ToolRow::toolName), named("side", ToolRow::side),
                bigint("calls", ToolRow::calls), bigint("errors", ToolRow::errors),
                bigint("total_duration_us", ToolRow::totalMicros), bigint("min_duration_us", ToolRow::minMicros),
                bigint("max_duration_us", ToolRow::maxMicros), timeMicros("last_called_at", ToolRow::lastStartedMicros),
                smallints("latency_keys", ToolRow::keys),
                bigints("latency_counts", ToolRow::counts));
    }

    private static TableSpec<DigestRow> digestSpec(String table) {
        return TableSpec.append(DigestRow.class, table, text("tenant_id", DigestRow::tenantId),
                timeMicros("bucket", DigestRow::bucketMicros), named("side", DigestRow::side), bytes("digest", DigestRow::digest));
    }

    private static TableSpec<ErrorRow> errorSpec(String table) {
        return TableSpec.append(ErrorRow.class, table,
                text("tenant_id", ErrorRow::tenantId), timeMicros("bucket", ErrorRow::bucketMicros),
                text("server_name", ErrorRow::serverName), text("tool_name", ErrorRow::toolName), named("side", ErrorRow::side),
                text("error_class", ErrorRow::errorClass), named("outcome", ErrorRow::outcome),
                bigint("errors", ErrorRow::errors), timeMicros("last_seen_at", ErrorRow::lastSeenMicros),
                text("last_message", ErrorRow::lastMessage));
    }

    /** Every rollup table the sink may write (the partitioned layouts' all, TimescaleDB's the first seven). */
    static List<TableSpec<?>> specs() {
        return List.of(TOOL_1H, TOOL_1D, DIGEST_1H, DIGEST_1D, TENANT_1H, API_1H, OAUTH_1D, TENANT_1M, ERROR_1H, ERROR_1D);
    }

    /** A table and the increments to add to it. */
    record Increments<R>(TableSpec<R> spec, List<R> rows) {
    }

    private Rollups() {
    }

    /** The increments of {@code executions} (one tenant's) that {@code layout} keeps in rollup tables. */
    static List<Increments<?>> of(List<ToolExecutionRecord> executions, StorageLayout layout) {
        Accumulator acc = new Accumulator(layout);
        executions.forEach(acc::add);
        return acc.increments();
    }

    private static String errorClass(ToolExecutionRecord e) {
        return e.errorClass() != null ? e.errorClass() : e.outcome().sqlName();
    }

    private static long bucket(long micros, long width) {
        return Math.floorDiv(micros, width) * width;
    }

    /**
     * The increments of one tenant's batch, gathered call by call while its rows stream to the database
     * (so that the database is not kept waiting for them).
     */
    static final class Accumulator {
        private final boolean partitioned;
        private final Map<ToolKey, ToolSum> hours = new LinkedHashMap<>();
        private final Map<ToolKey, ToolSum> days = new LinkedHashMap<>();
        private final Map<TenantKey, ToolSum> tenantHours = new LinkedHashMap<>();
        private final Map<TenantKey, long[]> tenantMinutes = new LinkedHashMap<>();
        /** Per hour: requests, server errors, and the latency histogram. */
        private final Map<Long, ApiSum> apiHours = new LinkedHashMap<>();
        /** Per day: the OAuth steps' counts and the ids of their flows. */
        private final Map<Long, OAuthSum> oauthDays = new LinkedHashMap<>();
        private final Map<ErrorKey, ErrorRow> errorHours = new LinkedHashMap<>();
        private final Map<ErrorKey, ErrorRow> errorDays = new LinkedHashMap<>();
        private String tenant;

        Accumulator(StorageLayout layout) {
            this.partitioned = layout.partitioned();
        }

        void add(ToolExecutionRecord e) {
            tenant = e.tenantId();
            long started = e.startedAtMicros();
            int key = LatencyHistogram.key(e.durationMicros());
            hours.computeIfAbsent(new ToolKey(bucket(started, HOUR), e.serverName(), e.toolName(), e.side()),
                    k -> new ToolSum()).add(e, key);
            days.computeIfAbsent(new ToolKey(bucket(started, DAY), e.serverName(), e.toolName(), e.side()),
                    k -> new ToolSum()).add(e, key);
            tenantHours.computeIfAbsent(new TenantKey(bucket(started, HOUR), e.side()), k -> new ToolSum()).add(e, key);
            if (!partitioned) {
                return;
            }
            long[] m = tenantMinutes.computeIfAbsent(new TenantKey(bucket(started, MINUTE), e.side()), k -> new long[4]);
            m[0]++;
            m[1] += e.outcome() == Outcome.SUCCESS ? 0 : 1;
            m[2] += e.durationMicros();
            m[3] = Math.max(m[3], e.durationMicros());
            if (e.outcome() != Outcome.SUCCESS) {
                addError(errorHours, e, HOUR);
                addError(errorDays, e, DAY);
            }
        }

        /** Adds one of the hub's API requests. */
        void add(ApiRequestRecord r) {
            tenant = r.tenantId();
            ApiSum sum = apiHours.computeIfAbsent(bucket(Times.micros(r.occurredAt(), "occurredAt"), HOUR), k -> new ApiSum());
            sum.requests++;
            sum.serverErrors += r.status() >= 500 ? 1 : 0;
            sum.latency.add(r.latencyMicros());
        }

        /** Adds one step of an OAuth flow. */
        void add(OAuthFlowRecord r) {
            tenant = r.tenantId();
            oauthDays.computeIfAbsent(bucket(Times.micros(r.occurredAt(), "occurredAt"), DAY), k -> new OAuthSum()).add(r);
        }

        private static void addError(Map<ErrorKey, ErrorRow> rows, ToolExecutionRecord e, long width) {
            String errorClass = errorClass(e);
            ErrorKey key = new ErrorKey(bucket(e.startedAtMicros(), width), e.serverName(), e.toolName(), e.side(),
                    errorClass, e.outcome());
            ErrorRow seen = rows.get(key);
            boolean newer = seen == null || e.startedAtMicros() >= seen.lastSeenMicros();
            rows.put(key, new ErrorRow(e.tenantId(), key.bucket(), e.serverName(), e.toolName(), e.side(), errorClass,
                    e.outcome(), (seen == null ? 0 : seen.errors()) + 1,
                    newer ? e.startedAtMicros() : seen.lastSeenMicros(), newer ? e.errorMessage() : seen.lastMessage()));
        }

        /** What to add to each rollup table; empty when no call was added. */
        List<Increments<?>> increments() {
            List<Increments<?>> out = new ArrayList<>(8);
            if (tenant == null) {
                return out;
            }
            if (!apiHours.isEmpty()) {
                List<ApiHourRow> api = new ArrayList<>(apiHours.size());
                apiHours.forEach((b, a) -> api.add(new ApiHourRow(tenant, b, a.requests, a.serverErrors, a.latency.keys(),
                        a.latency.counts())));
                out.add(new Increments<>(API_1H, api));
            }
            if (!oauthDays.isEmpty()) {
                List<OAuthDayRow> oauth = new ArrayList<>(oauthDays.size());
                oauthDays.forEach((b, o) -> oauth.add(new OAuthDayRow(tenant, b, o.steps, o.success, o.failure, o.pending,
                        o.durationMicros, o.durations, o.flowIds.toArray(String[]::new))));
                out.add(new Increments<>(OAUTH_1D, oauth));
            }
            if (hours.isEmpty()) {
                return out;
            }
            out.add(new Increments<>(TOOL_1H, toolRows(hours)));
            out.add(new Increments<>(TOOL_1D, toolRows(days)));
            out.add(new Increments<>(DIGEST_1H, digestRows(tenant, hours)));
            out.add(new Increments<>(DIGEST_1D, digestRows(tenant, days)));
            List<TenantHourRow> th = new ArrayList<>(tenantHours.size());
            tenantHours.forEach((k, s) -> th.add(new TenantHourRow(tenant, k.bucket(), k.side(), s.calls, s.errors, s.total,
                    s.max, s.latency.keys(), s.latency.counts())));
            out.add(new Increments<>(TENANT_1H, th));
            if (partitioned) {
                List<TenantRow> tm = new ArrayList<>(tenantMinutes.size());
                tenantMinutes.forEach((k, m) -> tm.add(new TenantRow(tenant, k.bucket(), k.side(), m[0], m[1], m[2], m[3])));
                out.add(new Increments<>(TENANT_1M, tm));
                if (!errorHours.isEmpty()) {
                    out.add(new Increments<>(ERROR_1H, new ArrayList<>(errorHours.values())));
                    out.add(new Increments<>(ERROR_1D, new ArrayList<>(errorDays.values())));
                }
            }
            return out;
        }

        private List<ToolRow> toolRows(Map<ToolKey, ToolSum> sums) {
            List<ToolRow> rows = new ArrayList<>(sums.size());
            sums.forEach((k, s) -> rows.add(new ToolRow(tenant, k.bucket(), k.server(), k.tool(), k.side(), s.calls, s.errors,
                    s.total, s.min, s.max, s.lastStarted, s.latency.keys(), s.latency.counts())));
            return rows;
        }
    }

    /** One digest per bucket and side of {@code sums}' tools. */
    private static List<DigestRow> digestRows(String tenant, Map<ToolKey, ToolSum> sums) {
        Map<TenantKey, ToolDigest.Writer> digests = new LinkedHashMap<>();
        sums.forEach((k, s) -> {
            short[] keys = s.latency.keys();
            ToolDigest.Writer w = digests.computeIfAbsent(new TenantKey(k.bucket(), k.side()), b -> new ToolDigest.Writer());
            w.add(k.server(), k.tool(), s.calls, s.errors, s.total, s.min, s.max, s.lastStarted, keys, s.latency.counts(),
                    keys.length, s.failures == null ? 0 : s.failures.size());
            if (s.failures != null) {
                s.failures.forEach((kind, f) -> w.failure(kind.errorClass(), kind.outcome().sqlName(), f.errors,
                        f.lastSeen, f.lastMessage));
            }
        });
        List<DigestRow> rows = new ArrayList<>(digests.size());
        digests.forEach((k, w) -> rows.add(new DigestRow(tenant, k.bucket(), k.side(), w.toByteArray())));
        return rows;
    }

    private static final class ToolSum {
        long calls;
        long errors;
        long total;
        long min = Long.MAX_VALUE;
        long max;
        long lastStarted;
        final LatencyHistogram latency = new LatencyHistogram();
        /** The failures by kind, for the digests (null while there were none). */
        Map<FailureKind, Failure> failures;

        void add(ToolExecutionRecord e, int latencyKey) {
            long d = e.durationMicros();
            calls++;
            errors += e.outcome() == Outcome.SUCCESS ? 0 : 1;
            total += d;
            min = Math.min(min, d);
            max = Math.max(max, d);
            lastStarted = Math.max(lastStarted, e.startedAtMicros());
            latency.addKey(latencyKey);
            if (e.outcome() != Outcome.SUCCESS) {
                if (failures == null) {
                    failures = new LinkedHashMap<>(4);
                }
                failures.computeIfAbsent(new FailureKind(errorClass(e), e.outcome()), k -> new Failure()).add(e);
            }
        }
    }

    private static final class ApiSum {
        long requests;
        long serverErrors;
        final LatencyHistogram latency = new LatencyHistogram();
    }

    private static final class OAuthSum {
        long steps;
        long success;
        long failure;
        long pending;
        long durationMicros;
        long durations;
        final Set<String> flowIds = new LinkedHashSet<>();

        void add(OAuthFlowRecord r) {
            steps++;
            switch (r.outcome()) {
                case SUCCESS -> success++;
                case FAILURE -> failure++;
                case PENDING -> pending++;
            }
            if (r.durationMicros() != null) {
                durationMicros += r.durationMicros();
                durations++;
            }
            flowIds.add(r.flowId());
        }
    }

    /** An error class (the outcome's name when the error had none, as the error rollups keep it) and outcome. */
    private record FailureKind(String errorClass, Outcome outcome) {
    }

    private static final class Failure {
        long errors;
        long lastSeen = Long.MIN_VALUE;
        String lastMessage;

        void add(ToolExecutionRecord e) {
            errors++;
            if (e.startedAtMicros() >= lastSeen) {
                lastSeen = e.startedAtMicros();
                lastMessage = e.errorMessage();
            }
        }
    }

    private record ToolKey(long bucket, String server, String tool, ExecutionSide side) {
    }

    private record TenantKey(long bucket, ExecutionSide side) {
    }

    private record ErrorKey(long bucket, String server, String tool, ExecutionSide side, String errorClass,
                            Outcome outcome) {
    }
}
