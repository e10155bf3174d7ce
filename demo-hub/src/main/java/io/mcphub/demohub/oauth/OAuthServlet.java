package io.mcphub.demohub.oauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's OAuth routes, mounted at {@code /oauth/*}:
 * <ul>
 * <li>{@code GET /oauth/start?server=<name>}: 302 to the server's authorization endpoint (authorization_code + PKCE)</li>
 * <li>{@code GET /oauth/callback?code=..&state=..} (or {@code ?error=..&state=..}): exchanges the code at the token
 * endpoint, then reconnects the server</li>
 * </ul>
 */
public final class OAuthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(OAuthServlet.class);

    private final transient Function<String, OAuthClient> clientOfServer;
    private final transient Collection<OAuthClient> clients;
    private final transient Consumer<String> reconnect;

    /**
     * @param clientOfServer the OAuth client of a server name (null when unknown or not OAuth)
     * @param clients all OAuth clients, to find the one a callback's state belongs to
     * @param reconnect reconnects a server (by name) once it is authorized; called on a background thread
     */
    public OAuthServlet(Function<String, OAuthClient> clientOfServer, Collection<OAuthClient> clients,
            Consumer<String> reconnect) {
        this.clientOfServer = clientOfServer;
        this.clients = clients;
        this.reconnect = reconnect;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        switch (path) {
            case "/start" -> start(req, resp);
            case "/callback" -> callback(req, resp);
            default -> text(resp, 404, "no such OAuth route");
        }
    }

    private void start(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("server");
        OAuthClient client = name == null ? null : clientOfServer.apply(name);
        if (client == null || !client.config().authorizationCode()) {
            text(resp, 404, "no server with an authorization_code OAuth configuration: " + safe(name));
            return;
        }
        resp.setHeader("Cache-Control", "no-store");
        resp.sendRedirect(client.startAuthorization().toString());
    }

    private void callback(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        String state = req.getParameter("state");
        OAuthClient client = clients.stream().filter(c -> c.awaitsCallback(state)).findFirst().orElse(null);
        if (client == null) {
            text(resp, 400, "unknown or expired authorization state");
            return;
        }
        String error = req.getParameter("error");
        String code = req.getParameter("code");
        if (error != null || code == null) {
            client.abandonAuthorization(state);
            log.warn("OAuth authorization of '{}' was refused: {}", client.server(), safe(error));
            text(resp, 400, "authorization of " + client.server() + " failed: " + safe(error));
            return;
        }
        try {
            client.completeAuthorization(state, code);
        }
        catch (OAuthException e) {
            log.warn("OAuth code exchange for '{}' failed: {}", client.server(), e.getMessage());
            text(resp, 502, "authorization of " + client.server() + " failed: " + e.getMessage());
            return;
        }
        String server = client.server();
        Thread t = new Thread(() -> reconnect.accept(server), "demo-hub-reconnect-" + server);
        t.setDaemon(true);
        t.start();
        text(resp, 200, "authorized " + server + "; reconnecting");
    }

    private static String safe(String s) {
        return s == null ? "-" : s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static void text(HttpServletResponse resp, int status, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain;charset=utf-8");
        resp.getOutputStream().write((body + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
