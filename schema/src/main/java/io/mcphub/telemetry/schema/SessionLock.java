package io.mcphub.telemetry.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Work done under a session advisory lock of PostgreSQL: one at a time per key across every process
 * on the database. The lock is the session's (not a transaction's), so the work may commit as it goes.
 */
final class SessionLock {
    private SessionLock() {
    }

    /** Work that may fail with the database's error. */
    interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} holding the lock of {@code key}. */
    static <T> T holding(Connection c, long key, Work<T> work) throws SQLException {
        return holding(c, "?", key, work);
    }

    /** Runs {@code work} holding the lock of {@code name} (by PostgreSQL's {@code hashtext}). */
    static <T> T holding(Connection c, String name, Work<T> work) throws SQLException {
        return holding(c, "hashtext(?)", name, work);
    }

    private static <T> T holding(Connection c, String keyExpression, Object key, Work<T> work) throws SQLException {
        call(c, "SELECT pg_advisory_lock(" + keyExpression + ")", key);
        T result;
        try {
            result = work.run();
        } catch (SQLException | RuntimeException e) {
            try {
                call(c, "SELECT pg_advisory_unlock(" + keyExpression + ")", key);
            } catch (SQLException unlock) {
                e.addSuppressed(unlock);
            }
            throw e;
        }
        call(c, "SELECT pg_advisory_unlock(" + keyExpression + ")", key);
        return result;
    }

    private static void call(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            ps.execute();
        }
    }
}
