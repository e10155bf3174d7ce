package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.mcphub.telemetry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads what the agent wrote, as the schema owner, polling while the sink catches up. */
final class Db {
    private Db() {
    }

    /** Agent arguments pointing the agent at {@code db}, with quick flushes for tests. */
    static String agentArgs(TestDatabase db, String tenant) {
        return "tenant=" + tenant + ",jdbcUrl=" + db.jdbcUrl() + login(db) + ",flushIntervalMs=50,metricsIntervalMs=1000,api.port=0";
    }

    /** The owner's login of {@code db} as agent arguments, for a test that names the database's address itself. */
    static String login(TestDatabase db) {
        return ",postgres.user=" + db.adminUser() + (db.adminPassword().isEmpty() ? "" : ",postgres.password=" + db.adminPassword());
    }

    static List<List<String>> rows(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    static long count(TestDatabase db, String sql) throws SQLException {
        return Long.parseLong(rows(db, sql).get(0).get(0));
    }

    /** Polls {@code sql} until its rows satisfy {@code done}; fails with the last rows seen. */
    static List<List<String>> await(TestDatabase db, String sql, Predicate<List<List<String>>> done, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<List<String>> rows = List.of();
        while (System.nanoTime() < deadline) {
            rows = rows(db, sql);
            if (done.test(rows)) {
                return rows;
            }
            Thread.sleep(200);
        }
        fail("timed out after " + timeout + " waiting on: " + sql + "\nlast rows: " + rows);
        return rows;
    }

    static long awaitCount(TestDatabase db, String sql, long atLeast) throws Exception {
        return Long.parseLong(await(db, sql, r -> Long.parseLong(r.get(0).get(0)) >= atLeast, Duration.ofSeconds(60))
                .get(0).get(0));
    }

    /** Polls {@code condition} until it holds; fails naming {@code what}. */
    static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
