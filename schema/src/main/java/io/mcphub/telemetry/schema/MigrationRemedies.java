package io.mcphub.telemetry.schema;

import java.sql.SQLException;

/** What to do about the database errors a migration is known to meet. */
final class MigrationRemedies {

    private MigrationRemedies() {
    }

    static String forError(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (state.equals("42501")) {
            return "Remedy: run the migrations as the schema owner (POSTGRES_USER), e.g. with `java -jar "
                    + "mcp-telemetry-agent.jar setup-db`; that login needs CREATE on the database and CREATEROLE";
        }
        if (message.contains("timescaledb") && message.contains("shared_preload_libraries")) {
            return "Remedy: add timescaledb to shared_preload_libraries in postgresql.conf and restart the server, "
                    + "or set TIMESCALEDB_ENABLED=false";
        }
        if (state.equals("53100")) {
            return "Remedy: free disk space on the database server";
        }
        return null;
    }
}
