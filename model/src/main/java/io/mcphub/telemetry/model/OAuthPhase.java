package io.mcphub.telemetry.model;

/** Step of an OAuth flow. */
public enum OAuthPhase implements SqlNamed {
    START("start"),
    CALLBACK("callback"),
    TOKEN("token"),
    REFRESH("refresh");

    private final String sqlName;

    OAuthPhase(String sqlName) {
        this.sqlName = sqlName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }
}
