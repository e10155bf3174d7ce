package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.model.StorageLayout;
import java.sql.SQLException;

/**
 * A migration the database refused: which file, which statement (and its line), the database's own
 * error and SQLSTATE, and the remedy where one is known. Never a connection problem: the caller
 * reports it as what it is, once.
 */
public final class MigrationFailedException extends MigrationException {

    private final String fileName;
    private final String sqlState;

    MigrationFailedException(String fileName, SqlScript.Statement statement, StorageLayout layout, SQLException cause) {
        super(message(fileName, statement, layout, cause), cause);
        this.fileName = fileName;
        this.sqlState = cause.getSQLState();
    }

    public String fileName() {
        return fileName;
    }

    public String sqlState() {
        return sqlState;
    }

    private static String message(String fileName, SqlScript.Statement statement, StorageLayout layout,
                                  SQLException cause) {
        StringBuilder sb = new StringBuilder("schema migration ").append(fileName).append(" failed (")
                .append(layout.sqlName()).append(" layout)");
        if (statement != null) {
            sb.append(" at line ").append(statement.line()).append(", statement: ").append(statement.firstLine());
        }
        sb.append(": ").append(cause.getMessage() == null ? cause.toString() : cause.getMessage().strip())
                .append(" [SQLSTATE ").append(cause.getSQLState()).append(']');
        String remedy = MigrationRemedies.forError(cause);
        if (remedy != null) {
            sb.append(". ").append(remedy);
        }
        return sb.toString();
    }
}
