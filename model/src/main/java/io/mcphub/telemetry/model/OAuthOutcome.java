package io.mcphub.telemetry.model;

/** Result of an OAuth flow step. */
public enum OAuthOutcome implements SqlNamed {
    PENDING("pending"),
    SUCCESS("success"),
    FAILURE("failure");

    private final String sqlName;

    OAuthOutcome(String sqlName) {
        this.sqlName = sqlName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }
}
