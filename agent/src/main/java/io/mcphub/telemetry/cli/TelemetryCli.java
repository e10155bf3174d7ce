package io.mcphub.telemetry.cli;

import io.mcphub.telemetry.text.SecretScrubber;
import io.mcphub.telemetry.HubInstance;
import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.ServerRegistration;
import io.mcphub.telemetry.ToolExecution;
import io.mcphub.telemetry.ToolInfo;
import io.mcphub.telemetry.agent.AgentRuntime;
import io.mcphub.telemetry.config.ConfigException;
import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.model.LogLevel;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.Transport;
import io.mcphub.telemetry.sink.SinkStats;
import io.mcphub.telemetry.sink.TelemetryStartupException;
import io.mcphub.telemetry.schema.TenantLogins;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * {@code java -jar mcp-telemetry-agent.jar <command>}: {@code setup-db} prepares the database (schema, and
 * the login {@code mcpt_<tenant>} of MCP_TELEMETRY_TENANT with its password from MCP_HUB_DB_PASSWORD) like
 * the original setup-db step;
 * {@code sample} writes a burst of sample telemetry and says where it went; {@code config} prints the
 * effective settings and checks them ({@link ConfigCommand}).
 */
public final class TelemetryCli {

    private TelemetryCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, TelemetryConfig::builder);
    }

    /** {@code settings} gives the settings of this process (its environment and system properties). */
    static int run(String[] args, PrintStream out, PrintStream err, Supplier<TelemetryConfig.Builder> settings) {
        String command = args.length == 0 ? "help" : args[0];
        try {
            switch (command) {
                case "setup-db" -> setupDb(out, settings.get());
                case "sample" -> sample(out, settings.get(), args.length > 1 ? Integer.parseInt(args[1]) : 10_000);
                case "config" -> {
                    if (args.length > 1 && args[1].equals(ConfigCommand.REFERENCE)) {
                        out.print(ConfigCommand.reference());
                        return 0;
                    }
                    return ConfigCommand.effective(settings.get().agentArguments(args.length > 1 ? args[1] : null), out, err);
                }
                default -> {
                    out.println("usage: java -jar mcp-telemetry-agent.jar setup-db | sample [count] | config [key=value,...] "
                            + "| config " + ConfigCommand.REFERENCE);
                    out.println("  or attach it: java -javaagent:mcp-telemetry-agent.jar[=key=value,...] -jar hub.jar");
                    return command.equals("help") ? 0 : 2;
                }
            }
            return 0;
        } catch (ConfigException | TelemetryStartupException e) {
            err.println("error: " + SecretScrubber.scrub(e.getMessage()));
            return 1;
        } catch (NumberFormatException e) {
            err.println("error: count must be a whole number: " + e.getMessage());
            return 2;
        }
    }

    private static void setupDb(PrintStream out, TelemetryConfig.Builder settings) {
        TelemetryConfig config = settings.set(ConfigOption.METRICS_INTERVAL_MS, "0").build();
        try (McpHubTelemetry telemetry = AgentRuntime.telemetry(config).build()) {
            telemetry.initialize(new HubInstance("setup-db", McpHubTelemetry.AGENT_VERSION, null, null, Map.of()));
            String login = TenantLogins.role(config.tenant());
            out.println("database ready (" + telemetry.storageLayout().sqlName() + " layout): schema migrated, tenant "
                    + config.tenant() + " has the login " + login + (config.appPassword() == null
                    ? ", used by the owner through SET ROLE (set MCP_HUB_DB_PASSWORD to give it a password of its own)"
                    : " with the password from MCP_HUB_DB_PASSWORD (hubs of this tenant may log in as " + login
                    + " with it: POSTGRES_USER=" + login + ")"));
        }
    }

    private static void sample(PrintStream out, TelemetryConfig.Builder settings, int count) {
        TelemetryConfig config = settings.build();
        long start = System.nanoTime();
        try (McpHubTelemetry telemetry = AgentRuntime.telemetry(config).build()) {
            telemetry.initialize(new HubInstance("sample-hub", McpHubTelemetry.AGENT_VERSION, null, 0, Map.of("sample", true)));
            telemetry.registerServer(new ServerRegistration("everything", Transport.STDIO,
                    "npx @modelcontextprotocol/server-everything stdio", ServerStatus.CONNECTED, "2026.8.31", "2025-06-18",
                    Map.of("tools", Map.of("listChanged", true)), null));
            telemetry.registerServer(ServerRegistration.connected("java-tools", Transport.STREAMABLE_HTTP,
                    "http://127.0.0.1:9001/mcp"));
            List<ToolInfo> tools = List.of(ToolInfo.named("echo", "Echoes back the input"),
                    ToolInfo.named("add", "Adds two numbers"), ToolInfo.named("longRunningOperation", "Sleeps"));
            telemetry.registerTools("everything", tools);
            telemetry.registerTools("java-tools", List.of(ToolInfo.named("add", "a+b"), ToolInfo.named("fail", "isError")));
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < count; i++) {
                String server = i % 3 == 0 ? "java-tools" : "everything";
                String tool = server.equals("java-tools") ? (i % 7 == 0 ? "fail" : "add") : tools.get(i % 3).name();
                Duration took = Duration.ofNanos((long) (Math.abs(random.nextGaussian()) * 5_000_000) + 200_000);
                Instant at = Instant.now().minusMillis(random.nextInt(600_000));
                telemetry.logToolExecution(tool.equals("fail")
                        ? ToolExecution.failure(server, tool, at, took, Outcome.TOOL_ERROR, null, "tool reported isError")
                        : ToolExecution.success(server, tool, at, took).withSizes(random.nextInt(2_000), random.nextInt(20_000)));
                if (i % 500 == 0) {
                    telemetry.log("everything", LogLevel.INFO, "server", "sample log line " + i, Map.of("i", i));
                }
            }
            telemetry.logApiRequest("GET", "/api/health", 200, Duration.ofMillis(2), 0L, 30L);
            telemetry.flush(Duration.ofMinutes(2));
            SinkStats.Snapshot stats = telemetry.stats();
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("wrote %d telemetry records (%d tool executions) for tenant %s in %.1f s; dropped %d, rejected %d%n",
                    stats.written(), count, config.tenant(), seconds, stats.dropped(), stats.rejected());
            out.println("database: " + (config.useEmbedded() ? "embedded PostgreSQL in " + config.embeddedDir()
                    + " on port " + config.embeddedPort() : SecretScrubber.scrub(config.jdbcUrl())));
            out.println("look:     psql ... -c \"SELECT tool_name, count(*), avg(duration_us) FROM tool_executions GROUP BY 1\"");
        }
    }
}
