package io.mcphub.telemetry.agent.instrumentation.oauth;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.OAuthFlow;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.instrumentation.common.ServletApi;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.model.OAuthOutcome;
import io.mcphub.telemetry.model.OAuthPhase;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OAuth routes the hub serves, seen at {@code HttpServlet.service}:
 * <ul>
 * <li>callback: a path ending in {@code /callback} or containing {@code /oauth}, with {@code code} or {@code error} in
 * the query string: phase callback, success when a code came back and the hub answered below 400, else failure with
 * the OAuth {@code error} (or {@code http_<status>}). A code exchange the hub makes while serving the callback (on
 * the same thread) gets the callback's flow id.</li>
 * <li>start: a request to a path containing {@code auth} answered with a redirect whose Location carries
 * {@code response_type=code} and a {@code state}: phase start, outcome pending.</li>
 * </ul>
 * The flow id is a hash of the {@code state}, so start, callback and code exchange of one authorization share it.
 * Only the query string is read (never the body: reading form parameters would consume it). Limits: callbacks
 * with {@code response_mode=form_post}, and authorizations started outside a servlet, are not seen.
 */
public final class OAuthCallbackHooks {

    private static final String GRANT = "authorization_code";
    private static final int MAX_REMEMBERED_FLOWS = 256;
    /** The OAuth context of the request this thread serves; also keeps nested dispatches from counting twice. */
    private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();
    /** flow id -> authorization server, from start to callback; guarded by itself. */
    private static final Map<String, String> SERVER_OF_FLOW = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_REMEMBERED_FLOWS;
        }
    };

    private static final class Callback {
        final String flowId;
        final String error;
        final boolean hasCode;
        final long startNanos;
        /** Host of the token endpoint the hub exchanged the code at while serving this callback. */
        String tokenServer;

        Callback(String flowId, String error, boolean hasCode, long startNanos) {
            this.flowId = flowId;
            this.error = error;
            this.hasCode = hasCode;
            this.startNanos = startNanos;
        }
    }

    private record StartProbe(long startNanos) {
    }

    private OAuthCallbackHooks() {
    }

    /** Flow id of the OAuth callback being served on this thread, or null. */
    static String currentFlowId() {
        return CURRENT.get() instanceof Callback c ? c.flowId : null;
    }

    /** Called when a token exchange starts on this thread: the callback learns which server it authorizes. */
    static void noteTokenServer(String server) {
        if (CURRENT.get() instanceof Callback c && c.tokenServer == null) {
            c.tokenServer = server;
        }
    }

    public static Object enter(Object request) {
        try {
            if (request == null || CURRENT.get() != null) {
                return null;
            }
            String path = ServletApi.GET_REQUEST_URI.text(request);
            if (path == null || !path.contains("auth") && !path.endsWith("/callback")) {
                return null;
            }
            if (AgentTelemetry.get() == null) {
                return null;
            }
            Object context;
            String query = ServletApi.GET_QUERY_STRING.text(request);
            String code = OAuthValues.queryParam(query, "code");
            String error = OAuthValues.queryParam(query, "error");
            if ((path.endsWith("/callback") || path.contains("/oauth")) && (code != null || error != null)) {
                String state = OAuthValues.queryParam(query, "state");
                String flowId = state != null && !state.isEmpty() ? OAuthValues.flowIdOfState(state)
                        : OAuthValues.newFlowId();
                String safeError = error == null ? null
                        : OAuthValues.token(error, 64, false) != null ? error : "invalid_error_parameter";
                context = new Callback(flowId, safeError, code != null && !code.isEmpty(), System.nanoTime());
            } else {
                context = new StartProbe(System.nanoTime());
            }
            CURRENT.set(context);
            return context;
        } catch (Throwable t) {
            AgentErrors.report("oauth-callback-enter", t);
            return null;
        }
    }

    public static void exit(Object context, Object response, Throwable thrown) {
        try {
            if (CURRENT.get() == context) {
                CURRENT.remove();
            }
            McpHubTelemetry telemetry = AgentTelemetry.get();
            if (telemetry == null || response == null) {
                return;
            }
            if (context instanceof Callback c) {
                int status = thrown != null ? 500 : ServletApi.status(response);
                boolean success = c.hasCode && c.error == null && status > 0 && status < 400;
                String reason = success ? null : c.error != null ? c.error
                        : thrown != null ? thrown.getClass().getName() : !c.hasCode ? "no_code" : "http_" + status;
                String server;
                synchronized (SERVER_OF_FLOW) {
                    server = SERVER_OF_FLOW.remove(c.flowId);
                }
                if (server == null) {
                    server = c.tokenServer;
                }
                telemetry.logOAuthFlow(new OAuthFlow(c.flowId, server, GRANT, OAuthPhase.CALLBACK,
                        success ? OAuthOutcome.SUCCESS : OAuthOutcome.FAILURE, since(c.startNanos), reason));
            } else if (context instanceof StartProbe p && thrown == null) {
                int status = ServletApi.status(response);
                if (status < 300 || status > 399) {
                    return;
                }
                String location = ServletApi.GET_HEADER.text(response, "Location");
                if (location == null || !location.contains("response_type=code")) {
                    return;
                }
                URI target;
                try {
                    target = URI.create(location);
                } catch (IllegalArgumentException notAUri) {
                    return; // its message would quote the Location: not for the log
                }
                String state = OAuthValues.queryParam(target.getRawQuery(), "state");
                if (state == null || state.isEmpty()) {
                    return;
                }
                String flowId = OAuthValues.flowIdOfState(state);
                String server = OAuthValues.server(target);
                if (server != null) {
                    synchronized (SERVER_OF_FLOW) {
                        SERVER_OF_FLOW.put(flowId, server);
                    }
                }
                telemetry.logOAuthFlow(new OAuthFlow(flowId, server, GRANT, OAuthPhase.START, OAuthOutcome.PENDING,
                        since(p.startNanos()), null));
            }
        } catch (Throwable t) {
            AgentErrors.report("oauth-callback-exit", t);
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
