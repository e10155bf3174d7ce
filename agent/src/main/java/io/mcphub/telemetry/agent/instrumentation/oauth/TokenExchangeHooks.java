package io.mcphub.telemetry.agent.instrumentation.oauth;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.OAuthFlow;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.model.OAuthOutcome;
import io.mcphub.telemetry.model.OAuthPhase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Token-endpoint exchanges made with {@code java.net.http.HttpClient}, reached through {@code OAuthBridge} from
 * advice in the JDK. A POST is a token exchange when its body was a form with {@code grant_type} (seen when the
 * body publisher was made with {@code BodyPublishers.ofString}), or, for other publishers, when its path ends with
 * {@code /token} (grant type {@code unknown}). Limits: bodies built with {@code ofByteArray}/{@code ofInputStream}
 * are only recognised by that path; other HTTP clients (Apache, OkHttp, Spring WebClient) are not seen.
 */
final class TokenExchangeHooks {

    private TokenExchangeHooks() {
    }

    /** Connects the bootstrap copy of the bridge to these hooks. */
    static void plugInto(Class<?> bridge) throws ReflectiveOperationException {
        BiConsumer<String, Object> body = TokenExchangeHooks::bodyPublisherCreated;
        Function<Object, Object> start = TokenExchangeHooks::sendStarted;
        BiConsumer<Object, Object> end = TokenExchangeHooks::sendEnded;
        bridge.getField("onBodyPublisher").set(null, body);
        bridge.getField("onSendStart").set(null, start);
        bridge.getField("onSendEnd").set(null, end);
    }

    static void bodyPublisherCreated(String body, Object publisher) {
        try {
            String grant = OAuthValues.grantTypeOfForm(body);
            if (grant != null) {
                PendingTokenBodies.put(publisher, grant);
            }
        } catch (Throwable t) {
            AgentErrors.report("oauth-body-publisher", t);
        }
    }

    static Object sendStarted(Object request) {
        try {
            if (!(request instanceof HttpRequest r) || !"POST".equals(r.method())) {
                return null;
            }
            Optional<HttpRequest.BodyPublisher> body = r.bodyPublisher();
            String grant = body.isPresent() ? PendingTokenBodies.take(body.get()) : null;
            URI uri = r.uri();
            if (grant == null) {
                if (!OAuthValues.isTokenPath(uri.getRawPath())) {
                    return null;
                }
                grant = "unknown";
            }
            if (AgentTelemetry.get() == null) {
                return null;
            }
            String flowId = OAuthCallbackHooks.currentFlowId();
            String server = OAuthValues.server(uri);
            OAuthCallbackHooks.noteTokenServer(server);
            return new Exchange(flowId != null ? flowId : OAuthValues.newFlowId(), server, grant,
                    "refresh_token".equals(grant) ? OAuthPhase.REFRESH : OAuthPhase.TOKEN, System.nanoTime());
        } catch (Throwable t) {
            AgentErrors.report("oauth-token-send", t);
            return null;
        }
    }

    static void sendEnded(Object context, Object futureOrThrowable) {
        try {
            if (!(context instanceof Exchange exchange)) {
                return;
            }
            if (futureOrThrowable instanceof CompletableFuture<?> future) {
                future.whenComplete(exchange::complete);
            } else {
                exchange.complete(null, futureOrThrowable instanceof Throwable t ? t : null);
            }
        } catch (Throwable t) {
            AgentErrors.report("oauth-token-send", t);
        }
    }

    /** One token request in flight. Holds no part of the request or response besides what is recorded. */
    private record Exchange(String flowId, String server, String grantType, OAuthPhase phase, long startNanos) {

        void complete(Object response, Throwable error) {
            try {
                McpHubTelemetry telemetry = AgentTelemetry.get();
                if (telemetry == null) {
                    return;
                }
                Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
                OAuthOutcome outcome;
                String reason = null;
                if (response instanceof HttpResponse<?> r && error == null) {
                    int status = r.statusCode();
                    if (status / 100 == 2) {
                        outcome = OAuthOutcome.SUCCESS;
                    } else {
                        outcome = OAuthOutcome.FAILURE;
                        String code = OAuthValues.oauthErrorOf(r.body());
                        reason = code != null ? code : "http_" + status;
                    }
                } else {
                    outcome = OAuthOutcome.FAILURE;
                    reason = errorName(error);
                }
                telemetry.logOAuthFlow(new OAuthFlow(flowId, server, grantType, phase, outcome, duration, reason));
            } catch (Throwable t) {
                AgentErrors.report("oauth-token-complete", t);
            }
        }

        /** The exception's class only: messages of HTTP client exceptions may quote URLs with query strings. */
        private static String errorName(Throwable error) {
            Throwable t = error;
            while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
                t = t.getCause();
            }
            return t == null ? "no_response" : t.getClass().getName();
        }
    }
}
