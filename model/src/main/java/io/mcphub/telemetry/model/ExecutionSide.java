package io.mcphub.telemetry.model;

/**
 * Which side of the hub a tool call was on: a call the hub made to a downstream server, or a call a
 * client made to the hub's own MCP endpoint (which usually causes a downstream call in turn).
 */
public enum ExecutionSide implements SqlNamed {
    DOWNSTREAM("downstream"),
    SERVED("served");

    private final String sqlName;

    ExecutionSide(String sqlName) {
        this.sqlName = sqlName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }
}
