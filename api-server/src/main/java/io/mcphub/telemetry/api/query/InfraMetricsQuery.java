package io.mcphub.telemetry.api.query;

import io.mcphub.telemetry.model.SqlNamed;
import io.mcphub.telemetry.model.MetricScope;
import io.mcphub.telemetry.api.ApiException;
import io.mcphub.telemetry.api.ApiRequest;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.Params;
import io.mcphub.telemetry.api.Rows;
import io.mcphub.telemetry.api.Window;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /api/telemetry/metrics}: the latest value of every infrastructure metric (JVM, process,
 * system, container, agent) per hub instance in the window, and, for the metrics named in
 * {@code metric=a,b}, a series of min/avg/max per step.
 */
public final class InfraMetricsQuery {

    public Object handle(ApiRequest req) {
        Params p = req.params("window", "since", "until", "metric", "scope", "instance");
        Window w = Window.from(p, req.now());
        String scope = SqlNamed.nameOf(p.named("scope", MetricScope.class));
        String instance = p.text("instance");
        String metricList = p.text("metric");
        String[] metrics = metricList == null ? null
                : Arrays.stream(metricList.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (metrics != null && (metrics.length == 0 || metrics.length > 20)) {
            throw ApiException.badParameter("metric", "name 1 to 20 metrics, comma-separated");
        }
        long step = w.seriesStep().toSeconds();
        String tenant = req.tenant();
        return req.read(c -> {
            var latest = Rows.list(c, "SELECT DISTINCT ON (instance_id, scope, metric) instance_id, scope, metric, value, sampled_at "
                    + "FROM infra_metrics WHERE tenant_id = ? AND sampled_at >= ? AND sampled_at < ? AND (?::text IS NULL OR scope = ?) "
                    + "AND (?::text IS NULL OR instance_id = ?) AND (?::text[] IS NULL OR metric = ANY(?::text[])) "
                    + "ORDER BY instance_id, scope, metric, sampled_at DESC",
                    tenant, w.since(), w.until(), scope, scope, instance, instance, array(c, metrics), array(c, metrics));
            Object series = null;
            if (metrics != null) {
                series = Rows.list(c, "SELECT instance_id, metric, to_timestamp(floor(extract(epoch FROM sampled_at) / ?) * ?) AS t, "
                        + "min(value) AS min, avg(value) AS avg, max(value) AS max, count(*) AS samples FROM infra_metrics "
                        + "WHERE tenant_id = ? AND sampled_at >= ? AND sampled_at < ? AND metric = ANY(?::text[]) AND (?::text IS NULL OR scope = ?) "
                        + "AND (?::text IS NULL OR instance_id = ?) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                        (double) step, (double) step, tenant, w.since(), w.until(), array(c, metrics), scope, scope, instance, instance);
            }
            return Json.object("window", w.json(), "latest", latest, "series", series, "series_step_s", step);
        });
    }

    private static java.sql.Array array(java.sql.Connection c, String[] values) throws java.sql.SQLException {
        return values == null ? null : c.createArrayOf("text", values);
    }
}
