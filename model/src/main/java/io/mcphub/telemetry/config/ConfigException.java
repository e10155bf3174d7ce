package io.mcphub.telemetry.config;

/** A setting is missing, unknown or malformed; the message names it and says what is accepted. */
public class ConfigException extends IllegalArgumentException {
    private final transient ConfigOption option;

    public ConfigException(String message) {
        this(message, null);
    }

    public ConfigException(String message, ConfigOption option) {
        super(message);
        this.option = option;
    }

    /** The setting whose value is wrong, or null (an unknown or malformed setting). */
    public ConfigOption option() {
        return option;
    }
}
