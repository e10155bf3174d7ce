package io.mcphub.telemetry.sink;

/** Telemetry could not start; the message names the setting or condition to fix. */
public class TelemetryStartupException extends RuntimeException {
    public TelemetryStartupException(String message, Throwable cause) {
        super(message, cause);
    }

    public TelemetryStartupException(String message) {
        super(message);
    }
}
