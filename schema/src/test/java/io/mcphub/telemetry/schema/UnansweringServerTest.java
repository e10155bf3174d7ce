package io.mcphub.telemetry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TcpProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A connection attempt that reaches something other than a working PostgreSQL server says what
 * happened, not the driver's "An error occurred while setting up the SSL connection" (its first act
 * under the default sslmode=prefer is an SSL request) or "Connection attempt timed out".
 */
class UnansweringServerTest {

    private static SQLException attempt(int port) {
        DatabaseTarget target = new DatabaseTarget("jdbc:postgresql://127.0.0.1:" + port + "/db", "postgres", "", null);
        return assertThrows(SQLException.class,
                () -> target.openUser("test", Duration.ofSeconds(1), Duration.ofMinutes(5)).close());
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersIsNamedWithTheWait() {
        try (TcpProxy silent = TcpProxy.blackHole()) {
            SQLException e = attempt(silent.port());
            assertEquals("PostgreSQL at 127.0.0.1:" + silent.port() + " accepted the connection but did not answer "
                    + "within 2000 ms (is it a PostgreSQL server?)", e.getMessage());
            assertEquals(1, silent.accepted());
        }
    }

    @Test
    void aServerThatAnswersSomethingElseIsNotCalledAnSslProblem() throws Exception {
        // what an HTTP server or proxy answers to PostgreSQL's SSL request
        try (Responder http = new Responder(out -> write(out, "HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n"))) {
            SQLException e = attempt(http.port());
            assertTrue(e.getMessage().startsWith("PostgreSQL at 127.0.0.1:" + http.port() + " answered with something "
                    + "that is not PostgreSQL's protocol"), e.getMessage());
            assertFalse(e.getMessage().contains("SSL"), e.getMessage());
        }
    }

    @Test
    void aServerThatClosesAtOnceIsSaidToHaveClosedIt() throws Exception {
        try (Responder closer = new Responder(out -> { })) {
            SQLException e = attempt(closer.port());
            assertEquals("PostgreSQL at 127.0.0.1:" + closer.port() + " accepted the connection but closed it without "
                    + "answering (is it a PostgreSQL server?)", e.getMessage());
        }
    }

    @Test
    void aRefusedConnectionKeepsTheDriversOwnText() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SQLException e = attempt(port);
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void theServerOfAUrlIsItsHostAndPort() {
        assertEquals("db.example:5432", new DatabaseTarget("jdbc:postgresql://db.example/x", "u", "", null).server());
        assertEquals("a:1,b:5432", new DatabaseTarget("jdbc:postgresql://a:1,b/x?ssl=true", "u", "", null).server());
        assertEquals("[::1]:6543", new DatabaseTarget("jdbc:postgresql://[::1]:6543/x", "u", "", null).server());
        assertEquals("localhost:5432", new DatabaseTarget("jdbc:postgresql:x", "u", "", null).server());
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Accepts connections, answers each with {@code answer}, then closes it. */
    private static final class Responder implements AutoCloseable {
        interface Answer {
            void write(OutputStream out) throws IOException;
        }

        private final ServerSocket listener;

        Responder(Answer answer) throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        answer.write(s.getOutputStream());
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "responder");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
