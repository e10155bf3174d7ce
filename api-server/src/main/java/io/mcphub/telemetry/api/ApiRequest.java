package io.mcphub.telemetry.api;

import java.time.Instant;
import java.util.Set;

/** One authenticated API request: who asks (the tenant), with which parameters, at what time. */
public record ApiRequest(String tenant, Params params, TelemetryDatabase db, Instant now) {

    /** Checks the parameters against the endpoint's list; {@code tenant} and {@code access_token} are always allowed. */
    public Params params(String... allowed) {
        Set<String> names = new java.util.HashSet<>(Set.of(allowed));
        names.add("tenant");
        names.add("access_token");
        return params.allow(names);
    }

    public <T> T read(TelemetryDatabase.Work<T> work) {
        return db.read(tenant, work);
    }
}
