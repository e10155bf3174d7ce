package io.mcphub.telemetry.model;

/** MCP logging levels (RFC 5424 names, as in notifications/message). */
public enum LogLevel implements SqlNamed {
    TRACE("trace"),
    DEBUG("debug"),
    INFO("info"),
    NOTICE("notice"),
    WARNING("warning"),
    ERROR("error"),
    CRITICAL("critical"),
    ALERT("alert"),
    EMERGENCY("emergency");

    private final String sqlName;

    LogLevel(String sqlName) {
        this.sqlName = sqlName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }
}
