package io.mcphub.telemetry.model;

/** Connection state of an MCP server as seen by the hub. */
public enum ServerStatus implements SqlNamed {
    CONNECTING("connecting"),
    CONNECTED("connected"),
    DISCONNECTED("disconnected"),
    FAILED("failed");

    private final String sqlName;

    ServerStatus(String sqlName) {
        this.sqlName = sqlName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }
}
