package io.mcphub.telemetry.model;

/** How the hub reaches an MCP server. */
public enum Transport implements SqlNamed {
    STDIO("stdio"),
    SSE("sse"),
    STREAMABLE_HTTP("streamable-http"),
    UNKNOWN("unknown");

    private final String sqlName;

    Transport(String sqlName) {
        this.sqlName = sqlName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }
}
