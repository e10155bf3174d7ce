package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

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

    private static final String WHERE = " FROM oauth_flows WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ? "
            + "AND (?::text IS NULL OR server_name = ?) ";

    /**
     * The window's flows and steps. The flows are told apart by their ids' bytes ({@code COLLATE "C"}):
     * the same ids as the database's collation tells apart (a deterministic collation's equality is the
     * bytes'), without sorting them by the language's rules, ~30 % of a 30-day summary.
     */
    static Map<String, Object> summary(Connection c, String tenant, Window w, String server) throws SQLException {
        return Rows.one(c, "SELECT count(DISTINCT flow_id COLLATE \"C\") AS flows, count(*) FILTER (WHERE outcome = 'success') AS success, "
                + "count(*) FILTER (WHERE outcome = 'failure') AS failure, count(*) FILTER (WHERE outcome = 'pending') AS pending, "
                + "round(count(*) FILTER (WHERE outcome = 'success')::numeric / nullif(count(*) FILTER (WHERE outcome <> 'pending'), 0), 4) AS success_rate, "
                + "round(avg(duration_us) / 1000.0, 3) AS avg_ms" + WHERE, tenant, w.since(), w.until(), server, server);
    }
}
