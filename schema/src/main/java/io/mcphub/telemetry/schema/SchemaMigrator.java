package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.model.StorageLayout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned migrations in order, then the repeatable ones whose text changed, each in its
 * own transaction, under a session advisory lock so that hubs starting together migrate once. Needs a
 * connection of the schema owner (a role that may create tables and roles); tenants' sessions then work
 * as their own logins ({@link TenantLogins}).
 */
public final class SchemaMigrator {

    static final String HISTORY_TABLE = "mcp_telemetry_schema_history";
    /** The history table of pre-release schemas, which had another baseline. */
    static final String LEGACY_HISTORY_TABLE = "mcp_telemetry_schema_migrations";
    private static final long LOCK_KEY = 0x4d43505f54454c45L; // "MCP_TELE"
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /** What a run did: the layout in use and the files it applied (empty when up to date). */
    public record Result(StorageLayout layout, List<String> applied) {
    }

    private final LayoutChooser chooser;
    private final List<Migration> migrations;

    /** @param layout the layout a new database gets, null for auto ({@link LayoutChooser}) */
    public SchemaMigrator(StorageLayout layout, boolean timescaleWanted) {
        this(layout, timescaleWanted, MigrationCatalog.load());
    }

    /** Layout chosen automatically. */
    public SchemaMigrator(boolean timescaleWanted) {
        this(null, timescaleWanted);
    }

    SchemaMigrator(StorageLayout layout, boolean timescaleWanted, List<Migration> migrations) {
        this.chooser = new LayoutChooser(layout, timescaleWanted);
        this.migrations = migrations;
    }

    public Result migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try {
            return SessionLock.holding(connection, LOCK_KEY, () -> migrateLocked(connection));
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private Result migrateLocked(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET client_min_messages = warning");
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + LEGACY_HISTORY_TABLE + "') IS NOT NULL")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    throw new MigrationException("this database was created by a pre-release version of MCP Hub "
                            + "Telemetry (it has table " + LEGACY_HISTORY_TABLE + ") whose schema cannot be upgraded: "
                            + "point the agent at a new database (POSTGRES_DB), or drop this one; for the embedded "
                            + "database, remove its data directory (mcp.telemetry.embedded.dir, default "
                            + "~/.mcp-hub-telemetry/postgres)");
                }
            }
            st.execute("CREATE TABLE IF NOT EXISTS " + HISTORY_TABLE + " ("
                    + "script text PRIMARY KEY, file_name text NOT NULL, checksum text NOT NULL, "
                    + "layout text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            // tenants' logins check that the schema is there before they write
            st.execute("GRANT SELECT ON " + HISTORY_TABLE + " TO PUBLIC");
        }
        Map<String, String[]> applied = appliedScripts(connection);
        StorageLayout layout = applied.isEmpty()
                ? chooser.choose(connection)
                : StorageLayout.fromTag(applied.values().iterator().next()[1]);
        if (!applied.isEmpty()) {
            LOG.debug("database uses the {} layout chosen at its first migration", layout.sqlName());
        }
        List<String> done = new ArrayList<>();
        for (Migration migration : migrations) {
            if (!migration.appliesTo(layout)) {
                continue;
            }
            String[] recorded = applied.get(migration.script());
            if (recorded != null && recorded[0].equals(migration.checksum())) {
                continue;
            }
            if (recorded != null && migration.kind() == Migration.Kind.VERSIONED) {
                throw new MigrationException("migration " + migration.fileName()
                        + " was changed after it was applied to this database (checksum differs); "
                        + "add a new migration instead of editing an applied one");
            }
            apply(connection, migration, layout);
            done.add(migration.fileName());
        }
        if (!done.isEmpty()) {
            LOG.info("applied {} schema migration(s) with the {} layout: {}", done.size(), layout.sqlName(), done);
        }
        return new Result(layout, List.copyOf(done));
    }

    private static Map<String, String[]> appliedScripts(Connection connection) throws SQLException {
        Map<String, String[]> applied = new HashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT script, checksum, layout FROM " + HISTORY_TABLE)) {
            while (rs.next()) {
                applied.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return applied;
    }

    /**
     * The layout of an already migrated database and whether every versioned migration is applied, for
     * a session that may not migrate (a tenant's login): null when the schema is missing.
     */
    public static StorageLayout installedLayout(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('" + HISTORY_TABLE + "') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return null;
            }
        }
        Map<String, String[]> applied = appliedScripts(connection);
        if (applied.isEmpty()) {
            return null;
        }
        StorageLayout layout = StorageLayout.fromTag(applied.values().iterator().next()[1]);
        for (Migration m : MigrationCatalog.load()) {
            String[] recorded = applied.get(m.script());
            if (m.appliesTo(layout) && (recorded == null || !recorded[0].equals(m.checksum()))) {
                throw new MigrationException("the telemetry schema of this database is not up to date (" + m.fileName()
                        + " is not applied): run `java -jar mcp-telemetry-agent.jar setup-db` with the schema owner's "
                        + "login (POSTGRES_USER), then start the hub again");
            }
        }
        return layout;
    }

    /** Work in Java that a versioned migration needs done in its transaction, by the migration's key. */
    private interface SqlStep {
        void run(Connection connection) throws SQLException;
    }

    private static final Map<String, SqlStep> AFTER = Map.of("V010", ToolDigestBackfill::run, "V012", WeeklyDigestFill::run);

    /** Runs the file statement by statement in one transaction (then its step in Java, if any); a failure names file, line, statement and error. */
    private static void apply(Connection connection, Migration migration, StorageLayout layout) throws SQLException {
        connection.setAutoCommit(false);
        SqlScript.Statement current = null;
        try (Statement st = connection.createStatement()) {
            for (SqlScript.Statement statement : SqlScript.parse(migration.sqlFor(layout)).statements()) {
                current = statement;
                st.execute(statement.sql());
            }
            current = null;
            SqlStep after = AFTER.get(migration.script());
            if (after != null) {
                after.run(connection);
            }
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + HISTORY_TABLE
                    + " (script, file_name, checksum, layout) VALUES (?, ?, ?, ?) ON CONFLICT (script) DO UPDATE "
                    + "SET file_name = EXCLUDED.file_name, checksum = EXCLUDED.checksum, applied_at = now()")) {
                ps.setString(1, migration.script());
                ps.setString(2, migration.fileName());
                ps.setString(3, migration.checksum());
                ps.setString(4, layout.sqlName());
                ps.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new MigrationFailedException(migration.fileName(), current, layout, e);
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
