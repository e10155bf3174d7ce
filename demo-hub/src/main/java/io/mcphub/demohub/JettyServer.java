package io.mcphub.demohub;

import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Minimal Jetty 12 (ee10 servlet) bootstrap shared by the hub and the sample server. */
public final class JettyServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private JettyServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts Jetty on {@code host:port} (port 0 = ephemeral) with the given servlets, keyed by path spec.
     * Servlets are registered with async support (the MCP streamable HTTP transport needs it).
     */
    public static JettyServer start(String name, String host, int port, Map<String, HttpServlet> servlets)
            throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName(name + "-http");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        for (Map.Entry<String, HttpServlet> e : servlets.entrySet()) {
            ServletHolder holder = new ServletHolder(e.getValue());
            holder.setAsyncSupported(true);
            context.addServlet(holder, e.getKey());
        }
        server.setHandler(context);
        server.setStopTimeout(3000);
        server.setStopAtShutdown(false);
        try {
            server.start();
        }
        catch (Exception e) {
            try {
                server.stop();
            }
            catch (Exception ignored) {
                // already failing
            }
            throw e;
        }
        return new JettyServer(server, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
