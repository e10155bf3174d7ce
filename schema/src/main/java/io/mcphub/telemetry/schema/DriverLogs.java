package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.text.SecretScrubber;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.postgresql.Driver;

/**
 * The PostgreSQL driver logs through {@code java.util.logging}, and some of its lines quote the JDBC
 * URL as given, password and all ({@code JDBC URL contains too many / characters:
 * jdbc:postgresql://owner:pw/x@db/...}). Its records are taken from its own parent logger and handed
 * to the root handlers scrubbed, so they are printed where they always were, without the secrets. In
 * the agent the driver is a shaded copy with loggers of its own ({@code io.mcphub.telemetry.shaded...}),
 * so a driver of the hub's is left alone.
 */
final class DriverLogs {
    /** Held: java.util.logging keeps loggers weakly, and a collected one would forget this setup. */
    private static final Logger DRIVER = Logger.getLogger(Driver.class.getPackageName());

    private DriverLogs() {
    }

    static void install() {
        synchronized (DRIVER) {
            for (Handler h : DRIVER.getHandlers()) {
                if (h instanceof Scrubbing) {
                    return;
                }
            }
            DRIVER.addHandler(new Scrubbing());
            DRIVER.setUseParentHandlers(false);
        }
    }

    private static final class Scrubbing extends Handler {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            try {
                String message = formatter.formatMessage(record);
                if (record.getThrown() != null) {
                    message += ": " + SecretScrubber.describe(record.getThrown());
                }
                LogRecord clean = new LogRecord(record.getLevel(), SecretScrubber.scrub(message));
                clean.setLoggerName(record.getLoggerName());
                clean.setSourceClassName(record.getSourceClassName());
                clean.setSourceMethodName(record.getSourceMethodName());
                clean.setInstant(record.getInstant());
                for (Handler h : Logger.getLogger("").getHandlers()) {
                    h.publish(clean);
                }
            } catch (RuntimeException e) {
                // a log line of the driver's must never fail the connection attempt that wrote it
            }
        }

        @Override
        public void flush() {
            for (Handler h : Logger.getLogger("").getHandlers()) {
                h.flush();
            }
        }

        @Override
        public void close() {
            // the root handlers are not ours to close
        }
    }
}
