package io.mcphub.telemetry.model;

/** How a tool call ended. */
public enum Outcome implements SqlNamed {
    SUCCESS("success"),
    TOOL_ERROR("tool_error"),
    PROTOCOL_ERROR("protocol_error"),
    EXCEPTION("exception"),
    TIMEOUT("timeout"),
    CANCELLED("cancelled");

    private final String sqlName;

    Outcome(String sqlName) {
        this.sqlName = sqlName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }
}
