package example.jdkapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tiny service on the JDK HttpServer, run in a child JVM with the agent: a named handler class that delegates
 * to another handler (nesting), and a lambda handler. Its package is outside io.mcphub.telemetry, which the
 * agent never instruments.
 */
public final class JdkHttpServerApp {

    public static final String HELLO_BODY = "hello from the JDK server";

    /** The outer handler of /hello/: hands the exchange to an inner one, as routers do. */
    static final class Router implements HttpHandler {
        private final HttpHandler inner = new Hello();

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            inner.handle(exchange);
        }
    }

    static final class Hello implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            send(exchange, 200, HELLO_BODY);
        }
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hello/", new Router());
        server.createContext("/lambda", exchange -> send(exchange, 201, "created"));
        server.start();
        System.out.println("jdk-app listening on http://127.0.0.1:" + server.getAddress().getPort());
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
