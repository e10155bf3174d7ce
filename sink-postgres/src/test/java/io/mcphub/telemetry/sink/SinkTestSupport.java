package io.mcphub.telemetry.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

final class SinkTestSupport {
    private SinkTestSupport() {
    }

    /** Quick flushes; maintenance and self-reporting out of the way unless a test wants them. */
    static SinkSettings.Builder settings() {
        return SinkSettings.builder()
                .flushInterval(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(200))
                .statsInterval(Duration.ofHours(1))
                .compactInterval(Duration.ofHours(1))
                .tenant("sink-self");
    }

    static DatabaseTarget target(TestDatabase db) {
        return new DatabaseTarget(db.jdbcUrl(), db.adminUser(), db.adminPassword(), null);
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }
}
