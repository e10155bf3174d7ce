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
import java.util.Locale;
import java.util.UUID;

/**
 * A throw-away database on a real PostgreSQL server: the one named by POSTGRES_HOST (and
 * POSTGRES_PORT / POSTGRES_USER / POSTGRES_PASSWORD), else 127.0.0.1:5432 when it answers, else an
 * embedded PostgreSQL started once for the test JVM.
 */
public final class TestDatabase implements AutoCloseable {

    private static Server server;

    private final Server owner;
    public final String name;

    private TestDatabase(Server owner, String name) {
        this.owner = owner;
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
        Server s = server();
        String name = "mcp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = s.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + s.jdbcUrl("postgres"), e);
        }
        return new TestDatabase(s, name);
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
        try (Connection c = owner.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name, e);
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
