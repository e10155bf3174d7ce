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
    static final List<String> PLAIN_FILES = List.of("V001__tenancy.sql", "V002__registry_tables.sql",
            "V003__timeseries_tables.sql", "V004__tool_rollups.sql", "V005__layout.plain.sql", "V007__tenant_policies.sql",
            "V008__server_connections.sql", "V009__trace_context.plain.sql", "V010__tool_digests.sql", "V011__api_request_rollup.sql", "V012__tool_digests_weekly.sql", "V013__api_request_rollup_daily.sql", "V014__oauth_rollup_daily.sql", "R__partitions.plain.sql", "R__rollup_compaction.sql",
            "R__maintenance.plain.sql", "R__rollup_views.sql", "R__tenant_views.plain.sql", "R__api_tokens.sql",
            "R__use_tenant.sql");

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
            assertFalse(LayoutChooser.offer(c).timescaleAvailable(), "this machine's PostgreSQL has no TimescaleDB");
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
            st.execute("UPDATE mcp_telemetry_schema_history SET checksum = 'x' WHERE script = 'V003'");
            MigrationException e = assertThrows(MigrationException.class, () -> new SchemaMigrator(true).migrate(c));
            assertTrue(e.getMessage().contains("V003__timeseries_tables.sql"), e.getMessage());
        }
    }

    @Test
    void anEditedRepeatableMigrationIsAppliedAgainAndOnlyIt() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(true).migrate(c);
            List<Migration> edited = new ArrayList<>();
            for (Migration m : MigrationCatalog.load()) {
                edited.add(m.fileName().equals("R__rollup_views.sql")
                        ? Migration.parse(m.fileName(), m.sql() + "\nCOMMENT ON VIEW tool_stats_1h IS 'edited';") : m);
            }
            SchemaMigrator.Result again = new SchemaMigrator(null, true, edited).migrate(c);
            assertEquals(List.of("R__rollup_views.sql"), again.applied());
            assertEquals("edited", string(c, "SELECT obj_description('tool_stats_1h'::regclass, 'pg_class')"));
            assertEquals(List.of(), new SchemaMigrator(null, true, edited).migrate(c).applied());
        }
    }

    @Test
    void aFailingStatementIsReportedWithFileLineStatementAndTheDatabaseError() throws Exception {
        List<Migration> broken = new ArrayList<>(MigrationCatalog.load());
        broken.add(9, Migration.parse("V009__broken.sql", "-- a comment line\nCREATE TABLE ok_table (x int);\n\n"
                + "ALTER TABLE no_such_table ADD COLUMN y int;"));
        try (Connection c = db.connect()) {
            MigrationFailedException e = assertThrows(MigrationFailedException.class,
                    () -> new SchemaMigrator(null, true, broken).migrate(c));
            assertTrue(e.getMessage().startsWith("schema migration V009__broken.sql failed (plain layout) at line 4, "
                    + "statement: ALTER TABLE no_such_table ADD COLUMN y int: ERROR: relation \"no_such_table\" does not exist"),
                    e.getMessage());
            assertEquals("42P01", e.sqlState());
            assertEquals(0, count(c, "SELECT count(*) FROM pg_class WHERE relname = 'ok_table'"), "the file is rolled back whole");
            assertEquals(0, count(c, "SELECT count(*) FROM mcp_telemetry_schema_history WHERE script = 'V009'"));
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
    void partitionClausesStayOnThePartitionedLayoutsOnly() {
        Migration v3 = MigrationCatalog.load().stream().filter(m -> m.version() == 3).findFirst().orElseThrow();
        assertTrue(v3.sqlFor(StorageLayout.PLAIN).contains("PARTITION BY RANGE (started_at)"));
        assertTrue(v3.sqlFor(StorageLayout.CITUS).contains("PARTITION BY RANGE (started_at)"));
        assertFalse(v3.sqlFor(StorageLayout.TIMESCALE).contains("PARTITION BY"));
        assertFalse(v3.sqlFor(StorageLayout.TIMESCALE).contains("{{"));
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
