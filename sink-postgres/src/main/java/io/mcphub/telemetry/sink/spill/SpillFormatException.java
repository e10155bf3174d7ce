package io.mcphub.telemetry.sink.spill;

/** Bytes in a spill file that are not a batch this agent wrote (another version's, or damaged). */
public final class SpillFormatException extends RuntimeException {
    public SpillFormatException(String message) {
        super(message);
    }

    public SpillFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
