package io.mcphub.telemetry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.ToolDigest;
import io.mcphub.telemetry.model.ToolTotals;
import io.mcphub.telemetry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The schema on each storage layout's real server: plain PostgreSQL (5432), TimescaleDB (5433) and a
 * Citus cluster (5441-5443). Same tables, views and functions for the code above; what differs is
 * asserted per layout, and tenant isolation is tried from a tenant's own login on each.
 */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class SchemaLayoutsTest {

    @Parameter
    StorageLayout layout;

    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create(layout);
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private List<String> expectedFiles() {
        return switch (layout) {
            case PLAIN -> SchemaMigratorTest.PLAIN_FILES;
            case TIMESCALE -> List.of("V001__tenancy.sql", "V002__registry_tables.sql", "V003__timeseries_tables.sql",
                    "V004__tool_rollups.sql", "V005__layout.timescale.sql", "V007__tenant_policies.sql",
                    "V008__server_connections.sql", "V009__trace_context.timescale.sql", "V010__tool_digests.sql", "V011__api_request_rollup.sql", "V012__tool_digests_weekly.sql", "V013__api_request_rollup_daily.sql", "V014__oauth_rollup_daily.sql", "V015__tenant_filter_once.timescale.sql", "R__rollup_compaction.sql",
                    "R__maintenance.timescale.sql",
                    "R__rollup_views.sql", "R__tenant_views.timescale.sql", "R__api_tokens.sql", "R__use_tenant.sql");
            case CITUS -> List.of("V001__tenancy.sql", "V002__registry_tables.sql", "V003__timeseries_tables.sql",
                    "V004__tool_rollups.sql", "V005__layout.plain.sql", "V006__distribution.citus.sql",
                    "V007__tenant_policies.sql", "V008__server_connections.sql", "V009__trace_context.plain.sql",
                    "V010__tool_digests.sql", "V011__api_request_rollup.sql", "V012__tool_digests_weekly.sql", "V013__api_request_rollup_daily.sql", "V014__oauth_rollup_daily.sql", "R__partitions.plain.sql",
                    "R__rollup_compaction.sql", "R__maintenance.plain.sql", "R__rollup_views.sql",
                    "R__tenant_views.plain.sql", "R__api_tokens.sql", "R__use_tenant.sql");
        };
    }

    @Test
    void autoDetectsTheLayoutAppliesItsFilesOnceAndBuildsItsStructure() throws Exception {
        try (Connection c = db.connect()) {
            SchemaMigrator.Result first = new SchemaMigrator(null, true).migrate(c);
            assertEquals(layout, first.layout(), "auto-detected");
            assertEquals(expectedFiles(), first.applied());
            assertEquals(List.of(), new SchemaMigrator(null, true).migrate(c).applied());
            assertEquals(layout, SchemaMigrator.installedLayout(c));
            switch (layout) {
                case PLAIN -> {
                    assertEquals("p", string(c, "SELECT relkind::text FROM pg_class WHERE oid = 'tool_executions'::regclass"));
                    assertTrue(count(c, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'tool_executions'::regclass") >= 5);
                }
                case TIMESCALE -> {
                    assertEquals(7, count(c, "SELECT count(*) FROM timescaledb_information.hypertables "
                            + "WHERE hypertable_schema = 'mcp_store'"), "every time-series table is a hypertable");
                    assertEquals("v", string(c, "SELECT relkind::text FROM pg_class WHERE oid = 'public.tool_executions'::regclass"));
                    assertEquals(3, count(c, "SELECT count(*) FROM timescaledb_information.continuous_aggregates"));
                    assertEquals(7, count(c, "SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'"
                            + " AND hypertable_schema = 'mcp_store' AND hypertable_name NOT LIKE 'cagg%'"));
                    assertTrue(count(c, "SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression'") >= 7,
                            "columnstore policies");
                }
                case CITUS -> {
                    assertEquals(1, count(c, "SELECT count(DISTINCT colocationid) FROM pg_dist_partition "
                            + "WHERE logicalrelid::text IN ('tenants', 'tool_executions', 'mcp_servers', 'rollup_tool_1h')"),
                            "tenant tables are co-located");
                    assertEquals("tenant_id", string(c, "SELECT column_to_column_name(logicalrelid, partkey) FROM pg_dist_partition "
                            + "WHERE logicalrelid = 'tool_executions'::regclass"));
                    assertEquals(2, count(c, "SELECT count(DISTINCT nodeport) FROM pg_dist_shard_placement p "
                            + "JOIN pg_dist_shard s USING (shardid) WHERE s.logicalrelid = 'tool_executions'::regclass"),
                            "shards on both workers");
                    assertTrue(count(c, "SELECT count(*) FROM pg_dist_partition p JOIN pg_inherits i ON i.inhrelid = p.logicalrelid "
                            + "WHERE i.inhparent = 'tool_executions'::regclass") >= 5, "daily partitions distributed too");
                }
            }
        }
    }

    @Test
    void aTenantLoginReadsAndWritesOnlyItsOwnRowsWhateverSqlItSends() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(layout, true).migrate(c);
            TenantLogins.ensure(c, "tenant-a", "pw-a");
            TenantLogins.ensure(c, "tenant-b", null);
            for (String tenant : List.of("tenant-a", "tenant-b")) {
                c.setAutoCommit(false);
                TenantLogins.actAs(c, tenant);
                st.execute("INSERT INTO mcp_servers (tenant_id, server_name, transport, status, first_seen_at, updated_at) "
                        + "VALUES ('" + tenant + "', 'srv-" + tenant + "', 'stdio', 'connected', now(), now())");
                st.execute("INSERT INTO tool_executions (tenant_id, server_name, tool_name, started_at, duration_us, outcome) "
                        + "VALUES ('" + tenant + "', 'srv-" + tenant + "', 'x', now(), 1, 'success')");
                c.commit();
                c.setAutoCommit(true);
            }
        }
        try (Connection a = DriverManager.getConnection(db.jdbcUrl(), "mcpt_tenant-a", "pw-a");
             Statement st = a.createStatement()) {
            assertEquals("srv-tenant-a", string(a, "SELECT string_agg(server_name, ',') FROM mcp_servers"));
            assertEquals(1, count(a, "SELECT count(*) FROM tool_executions"));
            assertEquals(0, count(a, "SELECT count(*) FROM tool_executions WHERE tenant_id = 'tenant-b'"));
            SQLException wrongTenant = assertThrows(SQLException.class, () -> st.execute(
                    "INSERT INTO tool_executions (tenant_id, server_name, tool_name, started_at, duration_us, outcome) "
                            + "VALUES ('tenant-b', 'srv', 'z', now(), 1, 'success')"));
            assertTrue(wrongTenant.getMessage().contains("row-level security") || wrongTenant.getMessage().contains("check option"),
                    wrongTenant.getMessage());
            // Citus refuses it earlier, as a change of the distribution column
            assertRefused(st, "UPDATE mcp_servers SET tenant_id = 'tenant-b'",
                    layout == StorageLayout.CITUS ? "partition value" : "row-level security");
            assertEquals(0, count(a, "SELECT count(*) FROM mcp_servers WHERE tenant_id = 'tenant-b'"));
            assertRefused(st, "SET ROLE \"mcpt_tenant-b\"", "permission denied");
            // no setting takes part in the policies: the old design's tenant setting, set by hand, changes nothing
            st.execute("SELECT set_config('mcp.tenant_id', 'tenant-b', false)");
            st.execute("SET mcp.tenant = 'tenant-b'");
            assertEquals(1, count(a, "SELECT count(*) FROM tool_executions"));
            assertEquals("srv-tenant-a", string(a, "SELECT string_agg(server_name, ',') FROM mcp_servers"));
            // COPY out shows the policy's rows only; COPY in is refused (row-level security, or a view)
            org.postgresql.copy.CopyManager copy = a.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            java.io.StringWriter copied = new java.io.StringWriter();
            copy.copyOut("COPY (SELECT tenant_id FROM tool_executions) TO STDOUT", copied);
            assertEquals("tenant-a\n", copied.toString());
            SQLException copyIn = assertThrows(SQLException.class, () -> copy.copyIn(
                    "COPY tool_executions (tenant_id, server_name, tool_name, started_at, duration_us, outcome) FROM STDIN",
                    new java.io.StringReader("tenant-b\ts\tt\t2026-01-01 00:00:00+00\t1\tsuccess\n")));
            assertTrue(copyIn.getMessage().contains("row-level security") || copyIn.getMessage().contains("view"),
                    copyIn.getMessage());
            // rollup tables: the same policy; functions of the owner: only the ones meant for tenants
            assertEquals(0, count(a, "SELECT count(*) FROM rollup_tool_1h WHERE tenant_id = 'tenant-b'"));
            assertRefused(st, "SELECT mcp_telemetry_compact_rollups('tenant-b')", "permission denied");
            if (layout.partitioned()) {
                assertRefused(st, "SELECT mcp_telemetry_ensure_partition('tool_executions', current_date)", "permission denied");
            }
            assertRefused(st, "ALTER TABLE mcp_servers DISABLE ROW LEVEL SECURITY", "must be owner");
            assertRefused(st, "DROP POLICY tenant_isolation ON mcp_servers", "must be owner");
            assertRefused(st, "CREATE TABLE mine (x int)", "permission denied");
            assertRefused(st, "DELETE FROM tool_executions", "permission denied");
            assertRefused(st, "SELECT mcp_telemetry_resolve_token('x'::bytea)", "permission denied");
            switch (layout) {
                case PLAIN, CITUS -> assertRefused(st, "SELECT count(*) FROM tool_executions_default", "permission denied");
                case TIMESCALE -> {
                    assertRefused(st, "SELECT count(*) FROM mcp_store.tool_executions", "permission denied");
                    String chunk = string(a, "SELECT format('%I.%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks "
                            + "WHERE hypertable_name = 'tool_executions' LIMIT 1");
                    assertRefused(st, "SELECT count(*) FROM " + chunk, "permission denied");
                    assertRefused(st, "SELECT public.hypertable_size('mcp_store.tool_executions')", "permission denied");
                    assertRefused(st, "SELECT count(*) FROM mcp_store.cagg_tenant_1m", "permission denied");
                }
            }
            st.execute("SET row_security = off");
            if (layout == StorageLayout.TIMESCALE) {
                assertEquals(1, count(a, "SELECT count(*) FROM tool_executions"), "the views filter by themselves");
            } else {
                assertRefused(st, "SELECT count(*) FROM mcp_servers", "row-level security");
            }
            st.execute("RESET row_security");
            // the group role is no tenant: as it, nothing is visible (on Citus its shard queries cannot even log in)
            st.execute("SET ROLE mcp_tenant");
            if (layout == StorageLayout.CITUS) {
                assertRefused(st, "SELECT count(*) FROM tool_executions", "not permitted to log in");
            } else {
                assertEquals(0, count(a, "SELECT count(*) FROM tool_executions"));
                assertEquals(0, count(a, "SELECT count(*) FROM mcp_servers"));
            }
        }
        try (Connection c = db.connect()) {
            assertEquals(0, count(c, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'mcpt\\_%' "
                    + "AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb)"));
        }
    }

    @Test
    void rollupIncrementsCompactIntoOneRowPerKeyThatReadsTheSame() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(layout, true).migrate(c);
            TenantLogins.ensure(c, "tenant-a", null);
            TenantLogins.ensure(c, "tenant-b", null);
            c.setAutoCommit(false);
            // one transaction per tenant, as the sink writes (Citus refuses two roles on one shard in one)
            for (String tenant : List.of("tenant-a", "tenant-b")) {
                TenantLogins.actAs(c, tenant);
                st.execute("INSERT INTO tenants (tenant_id) VALUES ('" + tenant + "')");
                for (String inc : List.of("1, 0, 100, 100, 100, now(), '{113}', '{1}'",
                        "2, 1, 500, 200, 300, now(), '{113,137}', '{1,1}'")) {
                    st.execute("INSERT INTO rollup_tool_1h (tenant_id, bucket, server_name, tool_name, side, calls, errors, "
                            + "total_duration_us, min_duration_us, max_duration_us, last_called_at, latency_keys, latency_counts) "
                            + "VALUES ('" + tenant + "', date_trunc('hour', now()), 's1', 'echo', 'downstream', " + inc + ")");
                }
                c.commit();
            }
            c.setAutoCommit(true);
            assertEquals(4, count(c, "SELECT count(*) FROM rollup_tool_1h"));
            st.execute("SELECT mcp_telemetry_compact(30)");
            assertEquals(2, count(c, "SELECT count(*) FROM rollup_tool_1h WHERE compacted"), "one row per tenant and key");
            assertEquals(2, count(c, "SELECT count(*) FROM rollup_tool_1h"));
            c.setAutoCommit(false);
            TenantLogins.actAs(c, "tenant-a");
            try (ResultSet rs = st.executeQuery("SELECT calls, errors, total_duration_us, min_duration_us, max_duration_us "
                    + "FROM tool_stats_1h")) {
                assertTrue(rs.next());
                assertEquals(List.of(3L, 1L, 600L, 100L, 300L),
                        List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                assertTrue(!rs.next(), "tenant-b's row is not visible");
            }
            assertEquals("{113,137}|{2,1}", string(c, "SELECT latency_keys::text || '|' || latency_counts::text FROM tool_latency_1h"));
            assertEquals(3, count(c, "SELECT calls FROM server_stats_1h"));
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /**
     * A database migrated before V010 holds per-tool rollups and no digests: V010 fills the digests
     * from them, one row per tenant, side and bucket adding up every increment of every tool.
     */
    @Test
    void upgradeFillsToolDigestsFromTheRollupsStoredBefore() throws Exception {
        // as before V010: its versioned files, and the views but those of the digests
        List<Migration> beforeV010 = MigrationCatalog.load().stream()
                .filter(m -> m.kind() == Migration.Kind.VERSIONED ? m.version() < 10 : !m.name().equals("rollup_views")).toList();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(layout, true, beforeV010).migrate(c);
            for (String tenant : List.of("tenant-a", "tenant-b")) {
                st.execute("INSERT INTO tenants (tenant_id) VALUES ('" + tenant + "')");
                for (String table : List.of("rollup_tool_1h", "rollup_tool_1d")) {
                    String unit = table.endsWith("1h") ? "hour" : "day";
                    for (String row : List.of("'s1', 'echo', 'downstream', 1, 0, 100, 100, 100, now() - interval '1 minute', '{113}', '{1}'",
                            "'s1', 'echo', 'downstream', 2, 1, 500, 200, 300, now(), '{113,137}', '{1,1}'",
                            "'s1', 'add', 'downstream', 4, 0, 40, 10, 10, now(), '{59}', '{4}'",
                            "'s2', 'echo', 'served', 1, 1, 7, 7, 7, now(), '{50}', '{1}'")) {
                        for (String bucket : List.of("date_trunc('" + unit + "', now())",
                                "date_trunc('" + unit + "', now()) - interval '1 " + unit + "'")) {
                            st.execute("INSERT INTO " + table + " (tenant_id, bucket, server_name, tool_name, side, calls, "
                                    + "errors, total_duration_us, min_duration_us, max_duration_us, last_called_at, latency_keys, "
                                    + "latency_counts) VALUES ('" + tenant + "', " + bucket + ", " + row + ")");
                        }
                    }
                }
                // the failures of echo's current hour and day: the error rollups, or on TimescaleDB the raw rows
                // its continuous aggregates read
                if (layout.partitioned()) {
                    for (String grain : List.of("1h", "1d")) {
                        String unit = grain.equals("1h") ? "hour" : "day";
                        for (String row : List.of("'McpError', 'tool_error', 1, now() - interval '1 minute', 'older'",
                                "'McpError', 'tool_error', 1, now(), 'newest'", "'timeout', 'timeout', 1, now(), null")) {
                            st.execute("INSERT INTO rollup_error_" + grain + " (tenant_id, bucket, server_name, tool_name, side, "
                                    + "error_class, outcome, errors, last_seen_at, last_message) VALUES ('" + tenant + "', "
                                    + "date_trunc('" + unit + "', now()), 's1', 'echo', 'downstream', " + row + ")");
                        }
                    }
                } else {
                    for (String row : List.of("now() - interval '1 minute', 'tool_error', 'McpError', 'older'",
                            "now(), 'tool_error', 'McpError', 'newest'", "now(), 'timeout', null, null")) {
                        st.execute("INSERT INTO tool_executions (tenant_id, server_name, tool_name, side, started_at, outcome, "
                                + "error_class, error_message, duration_us) VALUES ('" + tenant + "', 's1', 'echo', 'downstream', "
                                + row + ", 5)");
                    }
                }
            }
            for (String row : List.of("now() - interval '2 hours', 200, 1000", "now() - interval '2 hours', 503, 1000",
                    "now() - interval '2 hours', 200, 50000", "now(), 200, 1")) {
                st.execute("INSERT INTO api_requests (tenant_id, occurred_at, method, route, status, latency_us) "
                        + "VALUES ('tenant-a', " + row.replace(", 200,", ", 'GET', '/r', 200,").replace(", 503,", ", 'GET', '/r', 503,") + ")");
            }
            // OAuth steps: a flow of two steps two days ago, one of one step now
            String twoDaysAgo = "date_trunc('day', now(), 'UTC') - interval '2 days' + interval '12 hours'";
            for (String row : List.of("'f1', " + twoDaysAgo + ", 'start', 'pending', NULL",
                    "'f1', " + twoDaysAgo + " + interval '1 second', 'token', 'success', 1000", "'f2', now(), 'token', 'failure', 500")) {
                st.execute("INSERT INTO oauth_flows (tenant_id, flow_id, occurred_at, phase, outcome, duration_us, grant_type) "
                        + "VALUES ('tenant-a', " + row + ", 'authorization_code')");
            }
            SchemaMigrator.Result upgrade = new SchemaMigrator(layout, true).migrate(c);
            assertTrue(upgrade.applied().contains("V011__api_request_rollup.sql"), upgrade.applied().toString());
            // V014: the OAuth steps' days, with their flows' ids
            assertTrue(upgrade.applied().contains("V014__oauth_rollup_daily.sql"), upgrade.applied().toString());
            assertEquals("3|1|1|1|1500|2|t|t", string(c, "SELECT concat_ws('|', sum(steps), sum(success), sum(failure), sum(pending), "
                    + "sum(duration_us), sum(durations), bool_and(compacted), bool_and(bucket = date_trunc('day', bucket, 'UTC'))) "
                    + "FROM rollup_oauth_1d WHERE tenant_id = 'tenant-a'"));
            assertEquals("{f1}|{f2}", string(c, "SELECT string_agg(flow_ids::text, '|' ORDER BY bucket) FROM rollup_oauth_1d "
                    + "WHERE tenant_id = 'tenant-a'"));
            assertEquals("3|1|{173,271}|{2,1}", string(c, "SELECT concat_ws('|', requests, server_errors, latency_keys, latency_counts) "
                    + "FROM rollup_api_1h WHERE tenant_id = 'tenant-a' AND bucket = date_trunc('hour', now() - interval '2 hours')"));
            assertEquals("1|0|{0}|{1}", string(c, "SELECT concat_ws('|', requests, server_errors, latency_keys, latency_counts) "
                    + "FROM rollup_api_1h WHERE tenant_id = 'tenant-a' AND bucket = date_trunc('hour', now())"));
            assertEquals(String.valueOf(io.mcphub.telemetry.model.LatencyHistogram.key(1000)) + "," + io.mcphub.telemetry.model.LatencyHistogram.key(50000),
                    "173,271", "the SQL buckets are LatencyHistogram's");
            // V013: the days of the hours V011 filled
            assertEquals("4|1|t|t|t", string(c, "SELECT concat_ws('|', sum(requests), sum(server_errors), bool_and(compacted), "
                    + "count(*) = count(DISTINCT bucket), bool_and(bucket = date_trunc('day', bucket, 'UTC'))) "
                    + "FROM rollup_api_1d WHERE tenant_id = 'tenant-a'"));
            assertEquals("4", string(c, "SELECT sum(n)::text FROM rollup_api_1d, unnest(latency_counts) AS n WHERE tenant_id = 'tenant-a'"));
            assertTrue(upgrade.applied().contains("V010__tool_digests.sql"), upgrade.applied().toString());
            assertTrue(upgrade.applied().contains("V012__tool_digests_weekly.sql"), upgrade.applied().toString());
            // today and yesterday: one week or two (V012 fills the weeks from the days V010 filled)
            long weeks = count(c, "SELECT count(DISTINCT date_trunc('week', bucket AT TIME ZONE 'UTC')) FROM rollup_tool_digest_1d");
            for (String grain : List.of("1h", "1d", "1w")) {
                // two tenants x two buckets (a week: one or two) x two sides, each one row
                long rows = grain.equals("1w") ? 4 * weeks : 8;
                assertEquals(rows, count(c, "SELECT count(*) FROM rollup_tool_digest_" + grain + " WHERE compacted"), grain);
                assertEquals(rows, count(c, "SELECT count(DISTINCT (tenant_id, bucket, side)) FROM rollup_tool_digest_" + grain));
                if (grain.equals("1w")) {
                    assertEquals(0, count(c, "SELECT count(*) FROM rollup_tool_digest_1w "
                            + "WHERE bucket <> date_trunc('week', bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"), "weeks start on Monday, UTC");
                    assertEquals(0, count(c, "SELECT count(*) FROM rollup_tool_digest_1d WHERE in_week IS NOT TRUE"),
                            "the compacted days are marked as in their weeks");
                    // the compaction of an agent built before V012 inserts merged days without adding them to their weeks
                    SQLException older = assertThrows(SQLException.class, () -> st.execute("INSERT INTO rollup_tool_digest_1d "
                            + "(tenant_id, bucket, side, digest, compacted) VALUES ('tenant-a', now(), 'downstream', '\\x01', true)"));
                    assertTrue(older.getMessage().contains("rollup_tool_digest_1d_in_week"), older.getMessage());
                    st.execute("INSERT INTO rollup_tool_digest_1d (tenant_id, bucket, side, digest) "
                            + "VALUES ('tenant-a', now() - interval '400 days', 'downstream', '\\x01')"); // its increments are still taken
                    st.execute("DELETE FROM rollup_tool_digest_1d WHERE bucket < now() - interval '399 days'");
                }
                Map<String, ToolTotals> tools = new TreeMap<>();
                try (ResultSet rs = st.executeQuery("SELECT tenant_id, side, digest FROM tool_digests_" + grain)) {
                    while (rs.next()) {
                        String prefix = rs.getString(1) + "/" + rs.getString(2) + "/";
                        ToolDigest.Reader r = new ToolDigest.Reader(rs.getBytes(3));
                        while (r.next()) {
                            tools.computeIfAbsent(prefix + r.server() + "/" + r.tool(),
                                    k -> new ToolTotals(r.server(), r.tool())).add(r);
                        }
                    }
                }
                assertEquals(List.of("tenant-a/downstream/s1/add", "tenant-a/downstream/s1/echo", "tenant-a/served/s2/echo",
                        "tenant-b/downstream/s1/add", "tenant-b/downstream/s1/echo", "tenant-b/served/s2/echo"),
                        List.copyOf(tools.keySet()));
                ToolTotals echo = tools.get("tenant-b/downstream/s1/echo");
                assertEquals(List.of(6L, 2L, 1_200L, 100L, 300L), List.of(echo.calls(), echo.errors(), echo.totalDurationUs(),
                        echo.minDurationUs(), echo.maxDurationUs()), "both buckets' two increments");
                assertEquals("[113, 137]|[4, 2]", Arrays.toString(echo.latency().keys()) + "|"
                        + Arrays.toString(echo.latency().counts()));
                assertEquals(8, tools.get("tenant-a/downstream/s1/add").calls());
                List<String> failures = new java.util.ArrayList<>();
                for (ToolTotals.Failure f : echo.failures()) {
                    failures.add(f.errorClass() + "/" + f.outcome() + "/" + f.errors() + "/" + f.lastMessage());
                }
                failures.sort(null);
                assertEquals(List.of("McpError/tool_error/2/newest", "timeout/timeout/1/null"), failures, grain);
                assertEquals(List.of(), List.copyOf(tools.get("tenant-a/downstream/s1/add").failures()));
            }
        }
    }

    @Test
    void retentionDropsOldDataAndKeepsRecentData() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new SchemaMigrator(layout, true).migrate(c);
            TenantLogins.ensure(c, "t", null);
            String table = layout == StorageLayout.TIMESCALE ? "mcp_store.tool_executions" : "tool_executions";
            c.setAutoCommit(false);
            TenantLogins.actAs(c, "t");
            st.execute("INSERT INTO tool_executions (tenant_id, server_name, tool_name, started_at, duration_us, outcome) "
                    + "VALUES ('t', 's', 'old', now() - interval '10 days', 5, 'success'), ('t', 's', 'new', now(), 5, 'success')");
            c.commit();
            c.setAutoCommit(true);
            if (layout.partitioned()) {
                assertEquals(1, count(c, "SELECT count(*) FROM tool_executions_default"), "no partition that old yet");
                assertTrue(bool(c, "SELECT mcp_telemetry_ensure_partition('tool_executions', "
                        + "((now() AT TIME ZONE 'UTC') - interval '10 days')::date)"));
                assertEquals(0, count(c, "SELECT count(*) FROM tool_executions_default"), "the stray row moved, not lost");
                assertEquals(2, count(c, "SELECT count(*) FROM tool_executions"));
                st.execute("SELECT mcp_telemetry_maintain(5, 2)");
            } else {
                st.execute("SELECT mcp_telemetry_maintain(5, 2)");
                assertEquals("5 days", string(c, "SELECT config ->> 'drop_after' FROM timescaledb_information.jobs "
                        + "WHERE proc_name = 'policy_retention' AND hypertable_name = 'tool_executions'"));
                // the policy's job, run now rather than waiting for the scheduler
                long job = count(c, "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention' "
                        + "AND hypertable_name = 'tool_executions'");
                // TimescaleDB's own scheduler may run a job of the new database's hypertables at the same
                // moment: a deadlock between the two is resolved by aborting one, so try again
                for (int attempt = 1; ; attempt++) {
                    try {
                        st.execute("CALL run_job(" + job + ")");
                        break;
                    } catch (SQLException e) {
                        if (!"40P01".equals(e.getSQLState()) || attempt == 5) {
                            throw e;
                        }
                    }
                }
            }
            assertEquals("new", string(c, "SELECT string_agg(tool_name, ',') FROM " + table));
        }
    }

    private static void assertRefused(Statement st, String sql, String reason) throws SQLException {
        Connection c = st.getConnection();
        boolean auto = c.getAutoCommit();
        SQLException e = assertThrows(SQLException.class, () -> st.execute(sql), sql);
        assertTrue(e.getMessage().contains(reason), sql + ": " + e.getMessage());
        if (!auto) {
            c.rollback();
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
