package io.mcphub.telemetry.model;

/** What an infrastructure metric describes. */
public enum MetricScope implements SqlNamed {
    JVM("jvm"),
    PROCESS("process"),
    SYSTEM("system"),
    CONTAINER("container"),
    AGENT("agent");

    private final String sqlName;

    MetricScope(String sqlName) {
        this.sqlName = sqlName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }
}
