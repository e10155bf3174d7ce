package io.mcphub.telemetry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.mcphub.telemetry.model.StorageLayout;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    /** What a fresh database without TimescaleDB gets, in order: versioned files, then repeatable ones. */
    static final List<String> PLAIN_FILES = List.of("V001__registry_tables.sql", "V002__timeseries_tables.sql",
            "V003__timeseries_layout.plain.sql", "V004__tenant_isolation.sql", "V005__api_tokens.sql",
            "R__partitions.plain.sql", "R__maintenance.plain.sql", "R__stats_views.plain.sql", "R__api_tokens.sql");

    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void firstRunAppliesEveryMigrationOfThePlainLayoutAndSecondRunNothing() throws Exception {
        try (Connection c = db.connect()) {
            SchemaMigrator.Result first = new SchemaMigrator(true).migrate(c);
            assertEquals(StorageLayout.PLAIN, first.layout());
            assertEquals(PLAIN_FILES, first.applied());

            SchemaMigrator.Result second = new SchemaMigrator(true).migrate(c);
            assertEquals(StorageLayout.PLAIN, second.layout());
            assertEquals(List.of(), second.applied());
            assertEquals(PLAIN_FILES.size(), count(c, "SELECT count(*) FROM mcp_telemetry_schema_history"));
            // tool_executions is a partitioned table with daily partitions made ahead
            assertEquals("p", string(c, "SELECT relkind::text FROM pg_class WHERE relname = 'tool_executions'"));
            assertTrue(count(c, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'tool_executions'::regclass") >= 5);
        }
    }

    @Test
    void concurrentMigrationsApplyEachFileOnce() throws Exception {
        int hubs = 4;
        CyclicBarrier start = new CyclicBarrier(hubs);
        ExecutorService pool = Executors.newFixedThreadPool(hubs);
        try {
            List<Future<SchemaMigrator.Result>> results = new ArrayList<>();
            for (int i = 0; i < hubs; i++) {
                results.add(pool.submit((Callable<SchemaMigrator.Result>) () -> {
                    try (Connection c = db.connect()) {
                        start.await();
                        return new SchemaMigrator(true).migrate(c);
                    }
                }));
            }
            int appliedTotal = 0;
            for (Future<SchemaMigrator.Result> f : results) {
                appliedTotal += f.get().applied().size();
            }
            assertEquals(PLAIN_FILES.size(), appliedTotal, "each file applied by exactly one hub");
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = db.connect()) {
            assertEquals(PLAIN_FILES.size(), count(c, "SELECT count(*) FROM mcp_telemetry_schema_history"));
        }
    }

    @Test
    void timescaleIsDetectedAsMissingAndSkippedWithOneClearLogLine() throws Exception {
        String log;
        SchemaMigrator.Result result;
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Connection c = db.connect()) {
            assertFalse(SchemaMigrator.timescaleAvailable(c), "this machine's PostgreSQL has no TimescaleDB");
            result = new SchemaMigrator(true).migrate(c);
        } finally {
            System.setErr(original);
            log = captured.toString(StandardCharsets.UTF_8);
        }
        assertEquals(StorageLayout.PLAIN, result.layout());
        List<String> lines = log.lines().filter(l -> l.contains("TimescaleDB")).collect(Collectors.toList());
        assertEquals(1, lines.size(), "exactly one TimescaleDB line in: " + log);
        assertTrue(lines.get(0).contains("not available") && lines.get(0).contains("plain PostgreSQL"), lines.get(0));
    }

    @Test
    void disabledTimescaleChoosesPlainLayoutAndSaysWhy() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Connection c = db.connect()) {
            assertEquals(StorageLayout.PLAIN, new SchemaMigrator(false).migrate(c).layout());
        } finally {
            System.setErr(original);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("TIMESCALEDB_ENABLED=false"));
    }

    @Test
    void editedMigrationIsRefusedWithTheFileName() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(true).migrate(c);
            st.execute("UPDATE mcp_telemetry_schema_history SET checksum = 'x' WHERE script = 'V002'");
            MigrationException e = assertThrows(MigrationException.class, () -> new SchemaMigrator(true).migrate(c));
            assertTrue(e.getMessage().contains("V002__timeseries_tables.sql"), e.getMessage());
        }
    }

    @Test
    void anEditedRepeatableMigrationIsAppliedAgainAndOnlyIt() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(true).migrate(c);
            List<Migration> edited = new ArrayList<>();
            for (Migration m : MigrationCatalog.load()) {
                edited.add(m.fileName().equals("R__stats_views.plain.sql")
                        ? Migration.parse(m.fileName(), m.sql() + "\nCOMMENT ON VIEW tool_stats_1m IS 'edited';") : m);
            }
            SchemaMigrator.Result again = new SchemaMigrator(true, edited).migrate(c);
            assertEquals(List.of("R__stats_views.plain.sql"), again.applied());
            assertEquals("edited", string(c, "SELECT obj_description('tool_stats_1m'::regclass, 'pg_class')"));
            assertEquals(List.of(), new SchemaMigrator(true, edited).migrate(c).applied());
        }
    }

    @Test
    void aFailingStatementIsReportedWithFileLineStatementAndTheDatabaseError() throws Exception {
        List<Migration> broken = new ArrayList<>(MigrationCatalog.load());
        broken.add(5, Migration.parse("V006__broken.sql", "-- a comment line\nCREATE TABLE ok_table (x int);\n\n"
                + "ALTER TABLE no_such_table ADD COLUMN y int;"));
        try (Connection c = db.connect()) {
            MigrationFailedException e = assertThrows(MigrationFailedException.class,
                    () -> new SchemaMigrator(true, broken).migrate(c));
            assertTrue(e.getMessage().startsWith("schema migration V006__broken.sql failed (plain layout) at line 4, "
                    + "statement: ALTER TABLE no_such_table ADD COLUMN y int: ERROR: relation \"no_such_table\" does not exist"),
                    e.getMessage());
            assertEquals("42P01", e.sqlState());
            assertEquals(0, count(c, "SELECT count(*) FROM pg_class WHERE relname = 'ok_table'"), "the file is rolled back whole");
            assertEquals(0, count(c, "SELECT count(*) FROM mcp_telemetry_schema_history WHERE script = 'V006'"));
        }
    }

    @Test
    void aPreReleaseDatabaseIsRefusedWithWhatToDo() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE mcp_telemetry_schema_migrations (version integer PRIMARY KEY)");
            MigrationException e = assertThrows(MigrationException.class, () -> new SchemaMigrator(true).migrate(c));
            assertTrue(e.getMessage().contains("pre-release") && e.getMessage().contains("new database"), e.getMessage());
        }
    }

    @Test
    void scriptsSplitIntoStatementsAtSemicolonsOutsideQuotesBodiesAndComments() {
        SqlScript script = SqlScript.parse("-- head; comment\nSELECT 'a;b', \"c;d\";\n/* x; y */ DO $$ BEGIN PERFORM 1; END $$;\n"
                + "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;\nSELECT $1;");
        assertEquals(List.of("SELECT 'a;b', \"c;d\"", "DO $$ BEGIN PERFORM 1; END $$",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$", "SELECT $1"),
                script.statements().stream().map(SqlScript.Statement::sql).toList());
        assertEquals(List.of(2, 3, 4, 5), script.statements().stream().map(SqlScript.Statement::line).toList());
    }

    @Test
    void timescaleVariantExpandsWithoutPartitionClauses() {
        Migration v2 = MigrationCatalog.load().stream().filter(m -> m.version() == 2).findFirst().orElseThrow();
        assertTrue(v2.sqlFor(StorageLayout.PLAIN).contains("PARTITION BY RANGE (started_at)"));
        assertFalse(v2.sqlFor(StorageLayout.TIMESCALE).contains("PARTITION BY"));
        assertFalse(v2.sqlFor(StorageLayout.TIMESCALE).contains("{{"));
    }

    @Test
    void everySqlFileIsListedInTheCatalog() throws Exception {
        Path dir = Path.of("src/main/resources/db/migration");
        Set<String> onDisk;
        try (Stream<Path> files = Files.list(dir)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed = MigrationCatalog.load().stream().map(Migration::fileName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(onDisk, listed);
    }

    @Test
    void strayRowsInTheDefaultPartitionMoveIntoANewDailyPartitionAndRetentionDropsOldOnes() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(true).migrate(c);
            st.execute("INSERT INTO tool_executions (tenant_id, server_name, tool_name, started_at, duration_us, outcome) "
                    + "VALUES ('t', 's', 'x', now() - interval '10 days', 5, 'success')");
            assertEquals(1, count(c, "SELECT count(*) FROM tool_executions_default"));
            assertTrue(bool(c, "SELECT mcp_telemetry_ensure_partition('tool_executions', "
                    + "((now() AT TIME ZONE 'UTC') - interval '10 days')::date)"));
            assertEquals(0, count(c, "SELECT count(*) FROM tool_executions_default"));
            assertEquals(1, count(c, "SELECT count(*) FROM tool_executions"), "the row moved, not lost");

            st.execute("SELECT mcp_telemetry_maintain(5, 2)");
            assertEquals(0, count(c, "SELECT count(*) FROM tool_executions"), "10-day-old partition dropped with 5 days retention");
            assertEquals(0, count(c, "SELECT count(*) FROM pg_class WHERE relname ~ '^tool_executions_p[0-9]{8}$' "
                    + "AND to_date(right(relname, 8), 'YYYYMMDD') < (now() AT TIME ZONE 'UTC')::date - 5"));
        }
    }

    @Test
    void rollupsRecomputeIdempotentlyAndViewsShowOnlyTheCurrentTenant() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(true).migrate(c);
            st.execute("INSERT INTO tool_executions (tenant_id, server_name, tool_name, started_at, duration_us, outcome) VALUES "
                    + "('a', 's1', 'echo', '2026-01-01 10:00:05+00', 100, 'success'),"
                    + "('a', 's1', 'echo', '2026-01-01 10:00:40+00', 300, 'tool_error'),"
                    + "('a', 's1', 'echo', '2026-01-01 10:01:10+00', 200, 'success'),"
                    + "('b', 's1', 'echo', '2026-01-01 10:00:10+00', 999, 'success')");
            st.execute("INSERT INTO tool_executions (tenant_id, server_name, tool_name, started_at, duration_us, outcome, side) "
                    + "VALUES ('a', 's1', 'echo', '2026-01-01 10:00:06+00', 100000, 'exception', 'served')");
            for (int i = 0; i < 2; i++) {
                st.execute("SELECT mcp_telemetry_refresh_rollups('2026-01-01 10:00:00+00', '2026-01-01 10:02:00+00')");
            }
            st.execute("SET mcp.tenant_id = 'a'");
            try (ResultSet rs = st.executeQuery("SELECT calls, errors, total_duration_us, max_duration_us "
                    + "FROM tool_stats_1m ORDER BY bucket")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getLong(1));
                assertEquals(1, rs.getLong(2));
                assertEquals(400, rs.getLong(3));
                assertEquals(300, rs.getLong(4));
                assertTrue(rs.next());
                assertEquals(1, rs.getLong(1));
                assertFalse(rs.next());
            }
            assertEquals(3, count(c, "SELECT calls FROM tool_stats_1h"));
            assertEquals(3, count(c, "SELECT calls FROM server_stats_1h"));
        }
    }

    @Test
    void appRoleSeesOnlyItsTenantAndCannotSwitchRowLevelSecurityOff() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(true).migrate(c);
            SchemaMigrator.configureAppRole(c, null);
            st.execute("INSERT INTO mcp_servers (tenant_id, server_name, transport, status, first_seen_at, updated_at) VALUES "
                    + "('tenant-a', 'alpha', 'stdio', 'connected', now(), now()),"
                    + "('tenant-b', 'beta', 'sse', 'connected', now(), now())");
            st.execute("INSERT INTO tool_executions (tenant_id, server_name, tool_name, started_at, duration_us, outcome) VALUES "
                    + "('tenant-a', 'alpha', 'x', now(), 1, 'success'), ('tenant-b', 'beta', 'y', now(), 1, 'success')");

            st.execute("SET ROLE " + SchemaMigrator.APP_ROLE);
            assertEquals(0, count(c, "SELECT count(*) FROM mcp_servers"), "no tenant set: nothing visible");
            c.setAutoCommit(false);
            st.execute("SELECT set_config('mcp.tenant_id', 'tenant-a', true)");
            assertEquals("alpha", string(c, "SELECT string_agg(server_name, ',') FROM mcp_servers"));
            assertEquals("x", string(c, "SELECT string_agg(tool_name, ',') FROM tool_executions"));
            assertEquals(0, count(c, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'tenant-b'"));
            SQLException wrongTenant = assertThrows(SQLException.class, () -> st.execute(
                    "INSERT INTO tool_executions (tenant_id, server_name, tool_name, started_at, duration_us, outcome) "
                            + "VALUES ('tenant-b', 'beta', 'z', now(), 1, 'success')"));
            assertTrue(wrongTenant.getMessage().contains("row-level security"), wrongTenant.getMessage());
            c.rollback();

            assertThrows(SQLException.class, () -> st.execute("ALTER TABLE mcp_servers DISABLE ROW LEVEL SECURITY"));
            c.rollback();
            assertThrows(SQLException.class, () -> st.execute("DROP POLICY tenant_isolation ON mcp_servers"));
            c.rollback();
            st.execute("SET row_security = off");
            SQLException off = assertThrows(SQLException.class, () -> st.executeQuery("SELECT count(*) FROM mcp_servers"));
            assertTrue(off.getMessage().contains("row-level security"), off.getMessage());
            c.rollback();
            assertThrows(SQLException.class, () -> st.executeQuery("SELECT count(*) FROM tool_executions_default"),
                    "partitions are not reachable around the parent's policy");
            c.rollback();
            assertThrows(SQLException.class, () -> st.execute("SELECT mcp_telemetry_maintain(1, 0)"));
            c.rollback();
            c.setAutoCommit(true);
        }
        try (Connection c = db.connect()) {
            assertEquals(0, count(c, "SELECT count(*) FROM pg_roles WHERE rolname = 'mcp_hub_app' AND (rolbypassrls OR rolsuper)"));
        }
    }

    @Test
    void setupGivesTheAppRoleItsPasswordAndNoWayAroundRowLevelSecurity() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(true).migrate(c);
            st.execute("ALTER ROLE mcp_hub_app BYPASSRLS");  // someone widened it by hand
            SchemaMigrator.configureAppRole(c, "app-pw-'quoted\\");
            assertEquals(1, count(c, "SELECT count(*) FROM pg_authid WHERE rolname = 'mcp_hub_app' "
                    + "AND rolpassword IS NOT NULL AND rolcanlogin AND NOT rolbypassrls AND NOT rolsuper"));
        }
        try (Connection app = java.sql.DriverManager.getConnection(db.jdbcUrl(), "mcp_hub_app", "app-pw-'quoted\\");
             Statement st = app.createStatement()) {
            assertEquals(0, count(app, "SELECT count(*) FROM mcp_servers"), "logs in directly, sees no tenant's rows");
            assertThrows(SQLException.class, () -> st.execute("ALTER TABLE mcp_servers DISABLE ROW LEVEL SECURITY"));
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getBoolean(1);
        }
    }
}
