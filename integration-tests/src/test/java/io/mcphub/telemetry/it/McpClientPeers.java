package io.mcphub.telemetry.it;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The peers of the MCP client tests: server-everything started with node, SDK clients, REST calls. */
final class McpClientPeers {

    static final Path EVERYTHING = JvmProcess.MCP_SERVERS.toAbsolutePath().normalize()
            .resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private McpClientPeers() {
    }

    /** server-everything in {@code mode} (streamableHttp or sse) on a free port, ready for connections. */
    static final class NodeServer implements AutoCloseable {
        final Process process;
        final int port;

        private NodeServer(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static NodeServer start(String name, String mode) throws IOException, InterruptedException {
            int port = freePort();
            Files.createDirectories(JvmProcess.LOG_DIR);
            ProcessBuilder pb = new ProcessBuilder("node", EVERYTHING.toString(), mode)
                    .redirectErrorStream(true)
                    .redirectOutput(JvmProcess.LOG_DIR.resolve(name + ".log").toFile());
            pb.environment().put("PORT", Integer.toString(port));
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + p.exitValue() + "; see "
                            + JvmProcess.LOG_DIR.resolve(name + ".log"));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return new NodeServer(p, port);
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not listen on port " + port + " within 30 s");
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A Java SDK client of the hub's own MCP endpoint. */
    static McpSyncClient hubClient(JvmProcess hub, String name) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(hub.url()).endpoint("/mcp").build())
                .clientInfo(new McpSchema.Implementation(name, "1.0"))
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        return client;
    }

    /** One SDK session with a freshly started Java server, so its first real client is not slowed by JIT warm-up. */
    static void warmUp(String serverUrl) {
        try (McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(serverUrl).endpoint("/mcp")
                .build()).requestTimeout(Duration.ofSeconds(30)).build()) {
            client.initialize();
            client.listTools();
            client.callTool(new McpSchema.CallToolRequest("echo", java.util.Map.of("text", "warm-up")));
        }
    }

    record Reply(int status, String body, long micros) {
    }

    /** POST /api/servers/{server}/tools/{tool}/call; {@code micros} is the time the caller observed. */
    static Reply callRest(JvmProcess hub, String server, String tool, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub.url() + "/api/servers/" + server + "/tools/" + tool
                + "/call")).POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(90)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        long micros = (System.nanoTime() - start) / 1_000;
        return new Reply(response.statusCode(), response.body(), micros);
    }

    static String get(JvmProcess hub, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The hub's stdio child running server-everything (a node process whose command line says stdio). */
    static Optional<ProcessHandle> stdioChild(JvmProcess hub) {
        return hub.process.descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("index.js") && c.contains("stdio")).orElse(false))
                .findFirst();
    }

    static String configJson(List<String> entries) {
        return "{\"mcpServers\": {" + String.join(",\n", entries) + "}}";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
