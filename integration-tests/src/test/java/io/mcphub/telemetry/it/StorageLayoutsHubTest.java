package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.testing.TestDatabase;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The demo hub with the agent, pointed at each layout's real server with nothing but a JDBC URL: the
 * layout is detected, every tool call the hub makes and serves is stored (calls counted against rows),
 * the layout's structure holds them (hypertables and continuous aggregates; shards on both Citus
 * workers), and the agent's API answers from it.
 */
@ParameterizedClass
@EnumSource(StorageLayout.class)
class StorageLayoutsHubTest {
    private static final String TENANT = "layouts";
    private static final int CLIENTS = 4;
    private static final int CALLS = 50;

    @Parameter
    StorageLayout layout;

    private static TestDatabase db;
    private static JvmProcess tools;
    private static JvmProcess hub;

    @BeforeParameterizedClassInvocation
    static void start(StorageLayout layout) throws Exception {
        db = TestDatabase.create(layout);
        tools = JvmProcess.javaToolServer("layouts-tools-" + layout.sqlName());
        McpClientPeers.warmUp(tools.url());
        Path config = Files.createTempDirectory("layouts").resolve("servers.json");
        Files.writeString(config, McpClientPeers.configJson(List.of(
                "\"java-tools\": {\"url\": " + McpClientPeers.quote(tools.url() + "/mcp") + "}")));
        hub = JvmProcess.hub("layouts-hub-" + layout.sqlName(), config, Db.agentArgs(db, TENANT));
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {hub, tools}) {
            if (c != null) {
                c.close();
            }
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyCallTheHubMakesAndServesIsStoredInTheDetectedLayout() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    try (McpSyncClient mcp = McpClientPeers.hubClient(hub, "layout-client-" + client)) {
                        for (int i = 0; i < CALLS; i++) {
                            McpSchema.CallToolResult r = mcp.callTool(new McpSchema.CallToolRequest("java-tools__add",
                                    Map.of("a", client, "b", i)));
                            assertEquals(String.valueOf(client + i), ((McpSchema.TextContent) r.content().get(0)).text());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int total = CLIENTS * CALLS;
        String both = "SELECT count(*) FILTER (WHERE side = 'downstream'), count(*) FILTER (WHERE side = 'served') "
                + "FROM tool_executions WHERE tenant_id = '" + TENANT + "' AND tool_name LIKE '%add'";
        Db.await(db, both, r -> Long.parseLong(r.get(0).get(0)) >= total && Long.parseLong(r.get(0).get(1)) >= total,
                Duration.ofSeconds(60));
        assertEquals(List.of(String.valueOf(total), String.valueOf(total)), Db.rows(db, both).get(0),
                "one downstream and one served row per call, no more");
        assertEquals("0", Db.rows(db, "SELECT count(*) FROM tool_executions WHERE tenant_id = '" + TENANT
                + "' AND NOT (trace_id ~ '^[0-9a-f]{32}$' AND span_id ~ '^[0-9a-f]{16}$')").get(0).get(0),
                "every execution has its trace context, on every layout");
        assertEquals(layout.sqlName(), Db.rows(db, "SELECT string_agg(DISTINCT layout, ',') FROM mcp_telemetry_schema_history")
                .get(0).get(0), "the layout was detected from the server");
        switch (layout) {
            case PLAIN -> assertEquals("p", Db.rows(db, "SELECT relkind::text FROM pg_class WHERE oid = 'tool_executions'::regclass")
                    .get(0).get(0));
            case TIMESCALE -> {
                assertEquals("7", Db.rows(db, "SELECT count(*) FROM timescaledb_information.hypertables").get(0).get(0));
                assertEquals("3", Db.rows(db, "SELECT count(*) FROM timescaledb_information.continuous_aggregates").get(0).get(0));
                assertEquals(String.valueOf(2 * total), Db.rows(db, "SELECT count(*) FROM mcp_store.tool_executions").get(0).get(0));
                // the real-time continuous aggregate counts them before any refresh
                Db.await(db, "SELECT sum(calls) FROM mcp_store.cagg_tenant_1m WHERE tenant_id = '" + TENANT + "'",
                        r -> r.get(0).get(0) != null && Long.parseLong(r.get(0).get(0)) >= 2L * total, Duration.ofSeconds(30));
            }
            case CITUS -> {
                assertEquals("2", Db.rows(db, "SELECT count(DISTINCT nodeport) FROM citus_shards "
                        + "WHERE table_name = 'tool_executions'::regclass").get(0).get(0), "shards on both workers");
                // counted on the workers' shards themselves: the rows are there, not on the coordinator
                assertEquals(String.valueOf(2 * total), Db.rows(db, "SELECT sum(result::bigint) FROM run_command_on_shards("
                        + "'tool_executions', 'SELECT count(*) FROM %s')").get(0).get(0));
            }
        }
        String api = AgentApiServerTest.awaitApiUrl(hub);
        HttpClient http = HttpClient.newHttpClient();
        String dashboard = AgentApiServerTest.awaitBody(http, api + "/api/telemetry/dashboard?window=1h",
                b -> b.contains("\"calls\":" + total));
        assertTrue(dashboard.contains("\"tenant\":\"" + TENANT + "\""), dashboard);
        String toolsStats = AgentApiServerTest.awaitBody(http, api + "/api/telemetry/tools?window=24h",
                b -> b.contains("\"calls\":" + total));
        assertTrue(toolsStats.contains("\"tool_name\":\"add\""), toolsStats);
    }
}
