package io.mcphub.telemetry.api;

/**
 * The telemetry database: the schema owner's login (migrations, tokens) and, when set, the password
 * of {@code mcp_hub_app}; without it the server logs in as the owner and switches with SET ROLE, as
 * the sink does.
 */
public record DatabaseTarget(String jdbcUrl, String user, String password, String appPassword) {
    public DatabaseTarget {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:");
        }
        password = password == null ? "" : password;
    }

    boolean setRole() {
        return appPassword == null || appPassword.isEmpty();
    }
}
