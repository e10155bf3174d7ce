package io.mcphub.telemetry.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import io.mcphub.telemetry.model.StorageLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A throw-away database on a real PostgreSQL server. The plain layout's server is the one named by
 * POSTGRES_HOST (and POSTGRES_PORT / POSTGRES_USER / POSTGRES_PASSWORD), else 127.0.0.1:5432 when it
 * answers, else an embedded PostgreSQL started once for the test JVM. TimescaleDB is the server of
 * {@code ../shared/timescaledb/start.sh} (127.0.0.1:5433, or MCP_TEST_TIMESCALE_PORT), Citus the
 * cluster of {@code ../shared/citus/start.sh} (coordinator 127.0.0.1:5441, or MCP_TEST_CITUS_PORT,
 * workers on the next two ports): a Citus test database is made on every node, with the extension
 * and the workers registered, as Citus does not propagate CREATE DATABASE. A layout's server that
 * does not answer fails the test with the command that starts it: those tests are never skipped.
 */
public final class TestDatabase implements AutoCloseable {

    private static Server server;

    private final Server owner;
    private final StorageLayout layout;
    private final List<Server> workers;
    public final String name;

    private TestDatabase(Server owner, StorageLayout layout, List<Server> workers, String name) {
        this.owner = owner;
        this.layout = layout;
        this.workers = workers;
        this.name = name;
    }

    /** Where a test server is: host, port and an admin login. */
    public record Server(String host, int port, String user, String password) {
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public Connection connect(String database) throws SQLException {
            return DriverManager.getConnection(jdbcUrl(database), user, password);
        }
    }

    public static synchronized Server server() {
        if (server == null) {
            server = locateServer();
        }
        return server;
    }

    private static Server locateServer() {
        String host = System.getenv("POSTGRES_HOST");
        String user = envOr("POSTGRES_USER", "postgres");
        String password = envOr("POSTGRES_PASSWORD", "");
        if (host != null && !host.isBlank()) {
            return new Server(host, Integer.parseInt(envOr("POSTGRES_PORT", "5432")), user, password);
        }
        if (reachable("127.0.0.1", 5432)) {
            return new Server("127.0.0.1", 5432, user, password);
        }
        EmbeddedServer embedded = EmbeddedServer.start(0);
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
        return embedded.server();
    }

    public static TestDatabase create() {
        return create(StorageLayout.PLAIN);
    }

    /** A new empty database on the server of {@code layout}. */
    public static TestDatabase create(StorageLayout layout) {
        String name = "mcp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        return switch (layout) {
            case PLAIN -> {
                Server s = server();
                createDatabase(s, name);
                yield new TestDatabase(s, layout, List.of(), name);
            }
            case TIMESCALE -> {
                Server s = shared(port("MCP_TEST_TIMESCALE_PORT", 5433), "../shared/timescaledb/start.sh");
                createDatabase(s, name);
                yield new TestDatabase(s, layout, List.of(), name);
            }
            case CITUS -> {
                int base = port("MCP_TEST_CITUS_PORT", 5441);
                Server coordinator = shared(base, "../shared/citus/start.sh");
                List<Server> workers = List.of(shared(base + 1, "../shared/citus/start.sh"),
                        shared(base + 2, "../shared/citus/start.sh"));
                TestDatabase db = new TestDatabase(coordinator, layout, workers, name);
                try {
                    for (Server node : db.nodes()) {
                        createDatabase(node, name);
                        try (Connection c = node.connect(name); Statement st = c.createStatement()) {
                            st.execute("SET client_min_messages = warning");
                            st.execute("CREATE EXTENSION IF NOT EXISTS citus");
                        }
                    }
                    try (Connection c = coordinator.connect(name); Statement st = c.createStatement()) {
                        // 4 shards per table (2 a worker) instead of 32: a third of the migration's time,
                        // and every query still has to find its tenant's shard
                        st.execute("ALTER DATABASE " + name + " SET citus.shard_count = 4");
                        st.execute("SELECT citus_set_coordinator_host('127.0.0.1', " + coordinator.port() + ")");
                        for (Server w : workers) {
                            st.execute("SELECT citus_add_node('127.0.0.1', " + w.port() + ")");
                        }
                    }
                } catch (SQLException e) {
                    db.close();
                    throw new IllegalStateException("cannot prepare Citus test database " + name, e);
                }
                yield db;
            }
        };
    }

    private static void createDatabase(Server s, String name) {
        try (Connection c = s.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + s.jdbcUrl("postgres"), e);
        }
    }

    private static Server shared(int port, String startScript) {
        if (!reachable("127.0.0.1", port)) {
            throw new IllegalStateException("no test server on 127.0.0.1:" + port + ": start it with `bash "
                    + startScript + "` (`.ci/run` does)");
        }
        return new Server("127.0.0.1", port, "postgres", "");
    }

    private static int port(String env, int fallback) {
        return Integer.parseInt(envOr(env, Integer.toString(fallback)));
    }

    public StorageLayout layout() {
        return layout;
    }

    private List<Server> nodes() {
        List<Server> all = new ArrayList<>();
        all.add(owner);
        all.addAll(workers);
        return all;
    }

    public String jdbcUrl() {
        return owner.jdbcUrl(name);
    }

    public String host() {
        return owner.host();
    }

    public int port() {
        return owner.port();
    }

    public String adminUser() {
        return owner.user();
    }

    public String adminPassword() {
        return owner.password();
    }

    /** A connection as the admin (schema owner) user. */
    public Connection connect() throws SQLException {
        return owner.connect(name);
    }

    @Override
    public void close() {
        for (Server node : nodes()) {
            try (Connection c = node.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test database " + name + " on port " + node.port(), e);
            }
        }
    }

    public static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String envOr(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** An embedded PostgreSQL of a test's own, which the test may stop and start again. */
    public static final class EmbeddedServer implements AutoCloseable {
        private final java.nio.file.Path dataDir;
        private final int port;
        private EmbeddedPostgres pg;

        private EmbeddedServer(java.nio.file.Path dataDir, int port) {
            this.dataDir = dataDir;
            this.port = port;
        }

        public static EmbeddedServer start(int port) {
            try {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("mcp-telemetry-pg");
                EmbeddedServer s = new EmbeddedServer(dir, port == 0 ? freePort() : port);
                s.startProcess();
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void startProcess() {
            try {
                pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                        .setPort(port).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }

        public Server server() {
            return new Server("127.0.0.1", port, "postgres", "");
        }

        public synchronized void stop() {
            if (pg != null) {
                try {
                    pg.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                pg = null;
            }
        }

        public synchronized void restart() {
            stop();
            startProcess();
        }

        @Override
        public void close() {
            stop();
        }

        private static int freePort() throws IOException {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
