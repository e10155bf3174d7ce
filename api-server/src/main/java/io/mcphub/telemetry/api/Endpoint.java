package io.mcphub.telemetry.api;

/** A JSON endpoint: returns maps/lists (written as JSON) or throws {@link ApiException}. */
@FunctionalInterface
public interface Endpoint {
    Object handle(ApiRequest request);
}
