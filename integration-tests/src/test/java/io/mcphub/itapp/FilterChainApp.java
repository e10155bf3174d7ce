package io.mcphub.itapp;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A servlet application shaped like Spring's: filters that inherit {@code doFilter} from an abstract base that
 * declares it (as {@code OncePerRequestFilter} does for Spring's filters), and a servlet that inherits
 * {@code service} (as {@code DispatcherServlet} does). Outside the agent's own package, so that the agent looks
 * at it as at any application. Listens on a free port until its standard input closes.
 */
public final class FilterChainApp {

    private FilterChainApp() {
    }

    /** Declares doFilter, final, as OncePerRequestFilter does. */
    public abstract static class OncePerRequest implements Filter {
        @Override
        public final void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            ((HttpServletResponse) response).addHeader("X-Filtered-By", getClass().getSimpleName());
            filter((HttpServletRequest) request, (HttpServletResponse) response, chain);
        }

        protected abstract void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException;
    }

    /** Inherits doFilter: nothing of it to advise. */
    public static final class EncodingFilter extends OncePerRequest {
        @Override
        protected void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            response.setCharacterEncoding("UTF-8");
            chain.doFilter(request, response);
        }
    }

    /** Inherits doFilter too; a second filter in the chain, so a request passes three advised methods. */
    public static final class ContextFilter extends OncePerRequest {
        @Override
        protected void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(request, response);
        }
    }

    /** Inherits service from HttpServlet, as DispatcherServlet inherits it from FrameworkServlet. */
    public static class BaseServlet extends HttpServlet {
    }

    public static final class HelloServlet extends BaseServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getOutputStream().write(("hello " + request.getPathInfo()).getBytes(StandardCharsets.UTF_8));
        }
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(EncodingFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(ContextFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(HelloServlet.class, "/hello/*");
        server.setHandler(context);
        server.start();
        System.out.println("filter-chain-app listening on http://127.0.0.1:" + connector.getLocalPort());
        while (System.in.read() >= 0) {
            // until the test closes our standard input
        }
        server.stop();
    }
}
