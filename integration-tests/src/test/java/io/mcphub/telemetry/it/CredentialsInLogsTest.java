package io.mcphub.telemetry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password in every setting that can hold one — the JDBC URL's user-info and its {@code password=} and
 * {@code sslpassword=} parameters, {@code POSTGRES_PASSWORD} and {@code MCP_HUB_DB_PASSWORD} — given as
 * environment variables, system properties and agent arguments, to hubs whose database cannot be
 * reached (the "cannot reach its database" line quotes the URL and the driver's message) and to one whose
 * database can, and to the standalone API server: not one of them appears in anything those processes
 * print, nor in the API's answers.
 */
class CredentialsInLogsTest extends WithDatabase {
    private static final String MARK = "PLANTEDPW" + Long.toHexString(System.nanoTime());
    private static final Pattern API = Pattern.compile("telemetry API and dashboard on (http://[0-9.]+:\\d+)/");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Map<String, List<String>> outputs = new LinkedHashMap<>();
    private final List<String> answers = new ArrayList<>();
    private int planted;

    private String secret(String where) {
        planted++;
        return MARK + where;
    }

    @Test
    void noPlantedPasswordIsEverPrinted(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("servers.json");
        Files.writeString(config, "{\"mcpServers\": {}}");
        int closed = closedPort();

        // 1: the URL's user-info (a base64-like password, with '/' and '+'), as an environment variable;
        // passwords in all three places
        unreachableHub("userinfo", config, Map.of(
                        "MCP_TELEMETRY_JDBC_URL", "jdbc:postgresql://owner:" + secret("user/in+fo") + "@127.0.0.1:" + closed + "/telemetry",
                        "POSTGRES_PASSWORD", secret("envpw"),
                        "MCP_HUB_DB_PASSWORD", secret("envapp")),
                List.of("-Dmcp.telemetry.postgres.password=" + secret("syspw")),
                "tenant=secrets-a,appPassword=" + secret("argapp") + ",api.port=0");
        // 2: the URL's parameters, as a system property; the passwords as agent arguments
        unreachableHub("params", config, Map.of("POSTGRES_PASSWORD", secret("envpw2")),
                List.of("-Dmcp.telemetry.jdbcUrl=jdbc:postgresql://127.0.0.1:" + closed + "/telemetry?password="
                        + secret("urlparam") + "&sslpassword=" + secret("sslparam") + "&user=postgres",
                        "-Dmcp.telemetry.appPassword=" + secret("sysapp")),
                "tenant=secrets-b,postgres.password=" + secret("argpw") + ",api.port=0");
        // 3: a reachable database (it trusts local logins, so every password is accepted), with its API in use
        reachableHub(config);
        // 4: the standalone API server, unreachable and reachable
        standaloneServer(closed);
        // 5: the agent's command line
        agentCli(closed);

        List<String> leaks = new ArrayList<>();
        outputs.forEach((name, lines) -> lines.stream().filter(l -> l.contains(MARK)).forEach(l -> leaks.add(name + ": " + l)));
        answers.stream().filter(a -> a.contains(MARK)).forEach(a -> leaks.add("API answer: " + a));
        assertEquals(List.of(), leaks);
        int lines = outputs.values().stream().mapToInt(List::size).sum();
        System.out.printf("RELIABILITY credentials-in-logs: %d planted passwords, %d processes, %d output lines, "
                + "%d API answers searched: 0 found%n", planted, outputs.size(), lines, answers.size());
    }

    private void unreachableHub(String name, Path config, Map<String, String> env, List<String> jvm, String args)
            throws Exception {
        try (JvmProcess hub = JvmProcess.hub("creds-" + name, config, args + ",metricsIntervalMs=1000", jvm, env)) {
            String line = await(hub, l -> l.contains("cannot reach its database"));
            assertTrue(line.contains("check POSTGRES_HOST"), "the line still says what to fix: " + line);
            outputs.put("hub " + name, hub.output);
        }
    }

    private void reachableHub(Path config) throws Exception {
        String url = db.jdbcUrl() + "?password=" + secret("liveparam") + "&sslpassword=" + secret("livessl");
        String args = "tenant=secrets-c,jdbcUrl=" + url + ",postgres.user=" + db.adminUser()
                + ",flushIntervalMs=50,metricsIntervalMs=1000,api.port=0";
        try (JvmProcess hub = JvmProcess.hub("creds-live", config, args,
                List.of("-Dmcp.telemetry.appPassword=" + secret("liveapp")),
                Map.of("POSTGRES_PASSWORD", secret("livepw")))) {
            Matcher m = API.matcher(await(hub, l -> API.matcher(l).find()));
            assertTrue(m.find());
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/api/telemetry/health", "/api/telemetry/dashboard", "/api/telemetry/servers", "/metrics")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(m.group(1) + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), path + " " + r.body());
                answers.add(path + " " + r.body());
            }
            outputs.put("hub live", hub.output);
        }
    }

    private void standaloneServer(int closed) throws Exception {
        List<String> jar = List.of(JvmProcess.java(), "-jar", JvmProcess.API_SERVER_JAR.toAbsolutePath().toString());
        Map<String, String> down = Map.of(
                "MCP_TELEMETRY_JDBC_URL", "jdbc:postgresql://owner:" + secret("apiuserinfo") + "@127.0.0.1:" + closed
                        + "/telemetry?password=" + secret("apiparam"),
                "POSTGRES_PASSWORD", secret("apipw"), "MCP_HUB_DB_PASSWORD", secret("apiapp"), "MCP_TELEMETRY_API_PORT", "0");
        JvmProcess.Finished failed = JvmProcess.run(jar, down, 120);
        assertEquals(1, failed.exitCode(), String.join("\n", failed.output()));
        assertTrue(failed.output().stream().anyMatch(l -> l.startsWith("error: ")), failed.output().toString());
        outputs.put("api-server unreachable", failed.output());

        Map<String, String> up = Map.of(
                "MCP_TELEMETRY_JDBC_URL", db.jdbcUrl() + "?password=" + secret("apiliveparam"),
                "POSTGRES_USER", db.adminUser(), "POSTGRES_PASSWORD", secret("apilivepw"),
                "MCP_TELEMETRY_API_PORT", "0", "MCP_TELEMETRY_API_BIND", "127.0.0.1");
        List<String> create = new ArrayList<>(jar);
        create.addAll(List.of("token", "create", "--tenant", "secrets-c"));
        JvmProcess.Finished token = JvmProcess.run(create, up, 120);
        assertEquals(0, token.exitCode(), String.join("\n", token.output()));
        outputs.put("api-server token create", token.output());
        String bearer = token.output().stream().filter(l -> l.startsWith("mcpt_")).findFirst().orElseThrow();
        try (JvmProcess server = JvmProcess.start("creds-api-server", jar, up, 90)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(server.url() + "/api/telemetry/health")).header("Authorization", "Bearer " + bearer).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            answers.add("standalone health " + r.body());
            outputs.put("api-server serve", server.output);
        }
    }

    private void agentCli(int closed) throws Exception {
        List<String> jar = new ArrayList<>(List.of(JvmProcess.java(), "-jar", JvmProcess.AGENT_JAR.toAbsolutePath().toString()));
        Map<String, String> up = Map.of("MCP_TELEMETRY_JDBC_URL", db.jdbcUrl() + "?password=" + secret("cliparam"),
                "POSTGRES_USER", db.adminUser(), "POSTGRES_PASSWORD", secret("clipw"), "MCP_HUB_DB_PASSWORD", secret("cliapp"),
                "MCP_TELEMETRY_TENANT", "secrets-cli", "MCP_TELEMETRY_METRICS_INTERVAL_MS", "0");
        List<String> sample = new ArrayList<>(jar);
        sample.addAll(List.of("sample", "20"));
        JvmProcess.Finished sampled = JvmProcess.run(sample, up, 120);
        assertEquals(0, sampled.exitCode(), String.join("\n", sampled.output()));
        outputs.put("agent sample", sampled.output());
        List<String> setup = new ArrayList<>(jar);
        setup.add("setup-db");
        JvmProcess.Finished down = JvmProcess.run(setup, Map.of("MCP_TELEMETRY_JDBC_URL", "jdbc:postgresql://owner:"
                + secret("cli@user") + "@127.0.0.1:" + closed + "/t?sslpassword=" + secret("clissl")), 120);
        assertEquals(1, down.exitCode(), String.join("\n", down.output()));
        outputs.put("agent setup-db unreachable", down.output());
    }

    private static String await(JvmProcess p, Predicate<String> line) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (String l : p.output) {
                if (line.test(l)) {
                    return l;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such line within " + WAIT + " in:\n" + String.join("\n", p.output));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
