package io.mcphub.telemetry.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
    static SinkSettings.Builder settings(String jdbcUrl, String user, String password) {
        return SinkSettings.builder(jdbcUrl, user, password)
                .flushInterval(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(200))
                .statsInterval(Duration.ofHours(1))
                .rollupInterval(Duration.ofHours(1))
                .statsTenant("sink-self");
    }

    static SinkSettings.Builder settings(TestDatabase db) {
        return settings(db.jdbcUrl(), db.adminUser(), db.adminPassword());
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }
}
