package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;
import io.mcphub.telemetry.model.OAuthOutcome;
import io.mcphub.telemetry.model.SqlNamed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/telemetry/oauth}: OAuth flow steps in the window. The success rate counts finished
 * steps only ({@code success / (success + failure)}); pending steps are reported apart.
 */
public final class OAuthQuery {

    public Object handle(ApiRequest req) {
        Params p = req.params("window", "since", "until", "server", "limit");
        Window w = Window.from(p, req.now());
        String server = p.text("server");
        int limit = p.integer("limit", 20, 1, 500);
        String tenant = req.tenant();
        return req.read(c -> {
            var totals = summary(c, tenant, w, server);
            var byServer = Rows.list(c, "SELECT server_name, count(*) FILTER (WHERE outcome = 'success') AS success, "
                    + "count(*) FILTER (WHERE outcome = 'failure') AS failure, "
                    + "round(count(*) FILTER (WHERE outcome = 'success')::numeric / nullif(count(*) FILTER (WHERE outcome <> 'pending'), 0), 4) AS success_rate"
                    + WHERE + "GROUP BY 1 ORDER BY 1", tenant, w.since(), w.until(), server, server);
            var byPhase = Rows.list(c, "SELECT phase, grant_type, count(*) FILTER (WHERE outcome = 'success') AS success, "
                    + "count(*) FILTER (WHERE outcome = 'failure') AS failure, count(*) FILTER (WHERE outcome = 'pending') AS pending, "
                    + "round((percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_us) / 1000)::numeric, 3) AS p95_ms"
                    + WHERE + "GROUP BY 1, 2 ORDER BY 1, 2", tenant, w.since(), w.until(), server, server);
            var failures = Rows.list(c, "SELECT occurred_at, flow_id, server_name, grant_type, phase, error, "
                    + "round(duration_us / 1000.0, 3) AS duration_ms" + WHERE + "AND outcome = 'failure' "
                    + "ORDER BY occurred_at DESC LIMIT ?", tenant, w.since(), w.until(), server, server, limit);
            return Json.object("window", w.json(), "totals", totals, "by_server", byServer, "by_phase", byPhase,
                    "recent_failures", failures);
        });
    }

    private static final Duration DAY = Duration.ofDays(1);
    private static final String WHERE = " FROM oauth_flows WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ? "
            + "AND (?::text IS NULL OR server_name = ?) ";

    /**
     * The window's flows and steps: from the raw rows for a window without a whole day (UTC) or for one
     * server; beyond, its whole days from the daily rollup (V014: their sums, and the union of their flow
     * ids, a flow being counted once whichever days its steps fall on) and only the partial days at its
     * two ends from the raw rows. Flows are told apart by their ids' bytes ({@code COLLATE "C"}): the same
     * ids as the database's collation tells apart (a deterministic collation's equality is the bytes'),
     * without sorting them by the language's rules.
     */
    static Map<String, Object> summary(Connection c, String tenant, Window w, String server) throws SQLException {
        Instant firstWholeDay = w.afterFirstBucket(DAY);
        Instant lastDay = w.lastBucket(DAY);
        if (server != null || !lastDay.isAfter(firstWholeDay)) {
            return Rows.one(c, "SELECT count(DISTINCT flow_id COLLATE \"C\") AS flows, count(*) FILTER (WHERE outcome = 'success') AS success, "
                    + "count(*) FILTER (WHERE outcome = 'failure') AS failure, count(*) FILTER (WHERE outcome = 'pending') AS pending, "
                    + "round(count(*) FILTER (WHERE outcome = 'success')::numeric / nullif(count(*) FILTER (WHERE outcome <> 'pending'), 0), 4) AS success_rate, "
                    + "round(avg(duration_us) / 1000.0, 3) AS avg_ms" + WHERE, tenant, w.since(), w.until(), server, server);
        }
        Set<String> flows = new HashSet<>();
        long[] steps = new long[OAuthOutcome.values().length];
        long durationSum = 0;
        long durations = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT pending, success, failure, duration_us, durations, flow_ids "
                + "FROM oauth_stats_1d WHERE tenant_id = ? AND bucket >= ? AND bucket < ?")) {
            Rows.bind(ps, tenant, firstWholeDay, lastDay);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps[OAuthOutcome.PENDING.ordinal()] += rs.getLong(1);
                    steps[OAuthOutcome.SUCCESS.ordinal()] += rs.getLong(2);
                    steps[OAuthOutcome.FAILURE.ordinal()] += rs.getLong(3);
                    durationSum += rs.getLong(4);
                    durations += rs.getLong(5);
                    Collections.addAll(flows, (String[]) rs.getArray(6).getArray());
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(Stats.twoRanges("SELECT flow_id, outcome, duration_us FROM oauth_flows "
                + "WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?"))) {
            Rows.bind(ps, tenant, w.since(), firstWholeDay, tenant, lastDay, w.until());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    flows.add(rs.getString(1));
                    steps[SqlNamed.parse(OAuthOutcome.class, rs.getString(2)).ordinal()]++;
                    long d = rs.getLong(3);
                    if (!rs.wasNull()) {
                        durationSum += d;
                        durations++;
                    }
                }
            }
        }
        long success = steps[OAuthOutcome.SUCCESS.ordinal()];
        long failure = steps[OAuthOutcome.FAILURE.ordinal()];
        return Json.object("flows", (long) flows.size(), "success", success, "failure", failure,
                "pending", steps[OAuthOutcome.PENDING.ordinal()],
                "success_rate", success + failure == 0 ? null : Stats.rate(success, success + failure).doubleValue(),
                "avg_ms", durations == 0 ? null : Stats.avgMs(durationSum, durations).doubleValue());
    }
}
