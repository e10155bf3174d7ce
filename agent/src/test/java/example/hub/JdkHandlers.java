package example.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * A hub's JDK HttpServer handlers, outside the agent's own packages (which the agent ignores): a handler class,
 * and a class that declares a handler lambda.
 */
public final class JdkHandlers {

    private JdkHandlers() {
    }

    public static final class Handler implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) {
        }
    }

    public static final class DeclaresHandlerLambda {
        public final HttpHandler handler = exchange -> exchange.close();
    }
}
