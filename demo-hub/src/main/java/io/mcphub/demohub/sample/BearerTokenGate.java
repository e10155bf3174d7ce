package io.mcphub.demohub.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Puts an OAuth-style bearer-token check in front of a servlet: requests without
 * {@code Authorization: Bearer <token>} get 401 with {@code WWW-Authenticate: Bearer}. A wrapper servlet rather
 * than a filter so that {@code JettyServer} stays unchanged.
 */
final class BearerTokenGate extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final HttpServlet delegate;
    private final byte[] expected;

    BearerTokenGate(HttpServlet delegate, String token) {
        this.delegate = delegate;
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        delegate.init(config);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String header = req.getHeader("Authorization");
        if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            resp.setHeader("WWW-Authenticate", header == null ? "Bearer" : "Bearer error=\"invalid_token\"");
            resp.sendError(401);
            return;
        }
        delegate.service(req, resp);
    }

    @Override
    public void destroy() {
        delegate.destroy();
        super.destroy();
    }
}
