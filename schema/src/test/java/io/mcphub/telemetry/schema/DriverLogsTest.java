package io.mcphub.telemetry.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** The driver's own log lines quote the URL as given; they reach the log handlers without its password. */
class DriverLogsTest {

    @Test
    void theDriversWarningAboutAUrlArrivesScrubbed() {
        String mark = "Pw" + Long.toHexString(System.nanoTime());
        List<String> lines = new CopyOnWriteArrayList<>();
        SimpleFormatter format = new SimpleFormatter();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLoggerName() + " " + format.formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            // a password with '/' in it: the driver warns about the URL, quoting it whole
            DatabaseTarget target = new DatabaseTarget("jdbc:postgresql://owner:" + mark + "/x@127.0.0.1:1/db", "owner", "", null);
            assertThrows(SQLException.class, () -> target.openUser("test", Duration.ofSeconds(1), Duration.ofSeconds(1)));
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("postgresql") && l.contains("[REDACTED]")), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.contains(mark)), lines.toString());
    }
}
