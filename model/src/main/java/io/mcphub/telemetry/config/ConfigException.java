package io.mcphub.telemetry.config;

/** A setting is missing, unknown or malformed; the message names it and says what is accepted. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
