package io.mcphub.telemetry.sink;

/**
 * Who publishes tool calls: the tenant and hub instance every row of theirs belongs to, and how long
 * their error texts may be. The sink thread caps and scrubs a call's error message (credentials never
 * stored), so the hub's thread does not. One per publisher.
 */
public record Origin(String tenantId, String instanceId, int maxTextChars) {
}
