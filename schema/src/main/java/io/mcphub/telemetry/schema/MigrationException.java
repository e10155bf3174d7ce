package io.mcphub.telemetry.schema;

/** A migration could not be read or applied; the message says which and why. */
public class MigrationException extends RuntimeException {
    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
