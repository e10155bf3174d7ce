package io.mcphub.telemetry.api.standalone;

import io.mcphub.telemetry.text.SecretScrubber;
import io.mcphub.telemetry.api.ApiServer;
import io.mcphub.telemetry.api.ApiSettings;
import io.mcphub.telemetry.api.Json;
import io.mcphub.telemetry.api.TokenStore;
import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.schema.SchemaMigrator;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar api-server.jar [serve] | token create --tenant T [--label L] [--expires-days N] |
 * token list | token revoke ID}. Configuration from the environment, with the agent's names:
 * {@code POSTGRES_HOST/PORT/DB/USER/PASSWORD} or {@code MCP_TELEMETRY_JDBC_URL},
 * {@code MCP_TELEMETRY_STORAGE_LAYOUT}, {@code TIMESCALEDB_ENABLED}, and {@code MCP_TELEMETRY_API_PORT}
 * (7077), {@code MCP_TELEMETRY_API_BIND} (0.0.0.0), {@code MCP_TELEMETRY_API_AUTH} (token; or
 * local with {@code MCP_TELEMETRY_TENANT}), {@code MCP_TELEMETRY_API_ALLOWED_HOSTS}, {@code MCP_TELEMETRY_API_READ_TIMEOUT_MS},
 * {@code MCP_TELEMETRY_API_QUERY_TIMEOUT_MS}, {@code MCP_TELEMETRY_API_DIGEST_CACHE_MB}.
 */
public final class ApiServerMain {

    private ApiServerMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.getenv(), System.out, System.err, true));
    }

    /** Runs a command; {@code block} false returns after start (tests). Exit code: 0 ok, 1 failure, 2 usage. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean block) {
        try {
            String command = args.length == 0 ? "serve" : args[0];
            return switch (command) {
                case "serve" -> serve(env, out, block);
                case "token" -> token(args, env, out, err);
                case "help", "--help", "-h" -> usage(out, 0);
                default -> usage(err, 2);
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + SecretScrubber.scrub(e.getMessage()));
            return 2;
        } catch (Exception e) {
            err.println("error: " + SecretScrubber.scrub(e.getMessage()));
            return 1;
        }
    }

    private static int usage(PrintStream to, int code) {
        to.println("usage: java -jar api-server.jar [serve]\n"
                + "       java -jar api-server.jar token create --tenant TENANT [--label TEXT] [--expires-days N]\n"
                + "       java -jar api-server.jar token list\n"
                + "       java -jar api-server.jar token revoke TOKEN_ID\n"
                + "environment: POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD (or MCP_TELEMETRY_JDBC_URL),\n"
                + "  MCP_TELEMETRY_STORAGE_LAYOUT, TIMESCALEDB_ENABLED, MCP_TELEMETRY_API_PORT (7077), MCP_TELEMETRY_API_BIND (0.0.0.0),\n"
                + "  MCP_TELEMETRY_API_AUTH (token | local: no token needed from this machine, tenant MCP_TELEMETRY_TENANT),\n"
                + "  MCP_TELEMETRY_API_ALLOWED_HOSTS, MCP_TELEMETRY_API_READ_TIMEOUT_MS (10000), MCP_TELEMETRY_API_QUERY_TIMEOUT_MS (15000),\n"
                + "  MCP_TELEMETRY_API_DIGEST_CACHE_MB (16; 0: none)");
        return code;
    }

    /** The agent's settings, from the environment, with the defaults of a shared server: all addresses, tokens. */
    static TelemetryConfig config(Map<String, String> env) {
        TelemetryConfig config = TelemetryConfig.builder(env, new Properties())
                .defaultValue(ConfigOption.API_BIND, "0.0.0.0")
                .defaultValue(ConfigOption.API_AUTH, "token")
                .build();
        if (config.useEmbedded()) {
            throw new IllegalArgumentException("set POSTGRES_HOST (and POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, "
                    + "POSTGRES_PASSWORD) or MCP_TELEMETRY_JDBC_URL to the telemetry database");
        }
        return config;
    }

    private static Connection owner(DatabaseTarget t) throws SQLException {
        return t.openUser("mcp-telemetry-api-admin", Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /**
     * The standalone server migrates like a hub does, so it can be the first to touch a database; with
     * a tenant's login it cannot, and serves that one tenant from the schema the owner made.
     */
    private static void migrate(TelemetryConfig config, DatabaseTarget t) throws SQLException {
        if (t.userTenant() != null) {
            return;
        }
        try (Connection c = owner(t)) {
            new SchemaMigrator(config.storageLayout(), config.timescaleWanted()).migrate(c);
        }
    }

    private static int serve(Map<String, String> env, PrintStream out, boolean block) throws Exception {
        ApiServer server = start(env, out);
        if (!block) {
            return 0;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }, "api-server-shutdown"));
        stop.await();
        return 0;
    }

    /** Migrates the database and starts the server described by {@code env}. */
    public static ApiServer start(Map<String, String> env, PrintStream out) throws Exception {
        TelemetryConfig config = config(env);
        DatabaseTarget target = DatabaseTarget.of(config);
        migrate(config, target);
        ApiSettings settings = ApiSettings.of(config);
        ApiSettings.AuthMode auth = settings.authMode();
        String tenant = config.tenant();
        ApiServer server = ApiServer.start(settings, target);
        out.println("mcp telemetry API listening on " + server.url() + " (" + (auth == ApiSettings.AuthMode.TOKEN
                ? "API tokens required" : "local mode: requests from this machine without a token see tenant " + tenant) + ")");
        out.flush();
        return server;
    }

    private static int token(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
        if (args.length < 2) {
            return usage(err, 2);
        }
        TelemetryConfig config = config(env);
        DatabaseTarget target = DatabaseTarget.of(config);
        if (target.userTenant() != null) {
            throw new IllegalArgumentException("token commands need the schema owner's login (POSTGRES_USER), not "
                    + "tenant login " + target.user());
        }
        migrate(config, target);
        try (Connection c = owner(target)) {
            switch (args[1]) {
                case "create" -> {
                    String tenant = null;
                    String label = null;
                    Instant expires = null;
                    for (int i = 2; i < args.length; i++) {
                        String value = i + 1 < args.length ? args[i + 1] : null;
                        switch (args[i]) {
                            case "--tenant" -> tenant = required(value, "--tenant");
                            case "--label" -> label = required(value, "--label");
                            case "--expires-days" -> expires = Instant.now().plus(Duration.ofDays(
                                    Long.parseLong(required(value, "--expires-days"))));
                            default -> throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        i++;
                    }
                    if (tenant == null) {
                        throw new IllegalArgumentException("token create needs --tenant TENANT");
                    }
                    String token = TokenStore.create(c, tenant, label, expires);
                    err.println("API token for tenant " + tenant + " (shown once; only its hash is stored):");
                    out.println(token);
                    return 0;
                }
                case "list" -> {
                    for (var row : TokenStore.list(c)) {
                        out.println(Json.write(row));
                    }
                    return 0;
                }
                case "revoke" -> {
                    if (args.length != 3) {
                        return usage(err, 2);
                    }
                    if (!TokenStore.revoke(c, args[2])) {
                        err.println("no active token with id " + args[2]);
                        return 1;
                    }
                    out.println("revoked " + args[2]);
                    return 0;
                }
                default -> {
                    return usage(err, 2);
                }
            }
        }
    }

    private static String required(String value, String option) {
        if (value == null || value.startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
