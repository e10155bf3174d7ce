package io.mcphub.telemetry.sink;

/** A tool call's arguments and result as stored JSON text (redacted, capped), when payloads are captured. */
public record CapturedPayloads(String argumentsJson, String resultJson) {
}
