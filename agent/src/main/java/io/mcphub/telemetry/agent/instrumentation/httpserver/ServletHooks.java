package io.mcphub.telemetry.agent.instrumentation.httpserver;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.CallDepth;
import io.mcphub.telemetry.agent.instrumentation.common.ServletApi;
import java.time.Duration;

/**
 * Requests served through the servlet API (jakarta and javax alike, read by reflection so the agent needs
 * neither on its class path). Recorded once per request: filters and servlets nest on one thread, and only
 * the outermost one on that thread records. Only {@code REQUEST} dispatches count (async/error/forward
 * dispatches belong to a request already recorded).
 *
 * <p>Async requests: when a servlet started async processing and is still in it when the dispatch returns,
 * <ul>
 * <li>an event stream ({@code text/event-stream}, e.g. the MCP listening stream) is recorded right away: its
 * latency is the time until the stream was open, not its lifetime, which is no latency at all;</li>
 * <li>anything else is recorded when the async request completes, times out or fails (an AsyncListener),
 * with the latency and status the client saw.</li>
 * </ul>
 */
public final class ServletHooks {

    public static final long NESTED = Long.MIN_VALUE;
    private static final CallDepth DEPTH = new CallDepth();

    private ServletHooks() {
    }

    public static long enter() {
        return DEPTH.enter() ? System.nanoTime() : NESTED;
    }

    public static void exit(long startNanos, Object request, Object response, Throwable thrown) {
        DEPTH.exit();
        if (startNanos == NESTED) {
            return;
        }
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null || request == null || response == null) {
                return;
            }
            Object dispatch = ServletApi.GET_DISPATCHER_TYPE.get(request);
            if (dispatch != null && !"REQUEST".equals(dispatch.toString())) {
                return;
            }
            if (!HubAddressHooks.known()) {
                HubAddressHooks.fromRequest(request);
            }
            if (thrown == null && Boolean.TRUE.equals(ServletApi.IS_ASYNC_STARTED.get(request))
                    && !isEventStream(response)
                    && AsyncCompletion.register(request, response, startNanos)) {
                return;
            }
            record(t, request, response, startNanos, thrown != null);
        } catch (Throwable e) {
            AgentErrors.report("http.servlet", e);
        }
    }

    static void record(McpHubTelemetry t, Object request, Object response, long startNanos, boolean failed) {
        long latency = Math.max(0, System.nanoTime() - startNanos);
        Object s = ServletApi.GET_STATUS.get(response);
        int status = s instanceof Number n ? n.intValue() : 200;
        if (failed && status < 400) {
            status = 500; // the container turns the exception into a 500
        }
        if (status < 100 || status > 999) {
            return;
        }
        String method = ServletApi.GET_METHOD.text(request);
        t.logApiRequest(method == null ? "UNKNOWN" : method, route(request, status), status,
                Duration.ofNanos(latency), requestBytes(request), headerLength(ServletApi.GET_HEADER.get(response,
                        "Content-Length")));
    }

    static String route(Object request, int status) {
        String context = nonNull(ServletApi.GET_CONTEXT_PATH.text(request));
        String servletPath = nonNull(ServletApi.GET_SERVLET_PATH.text(request));
        String pathInfo = ServletApi.GET_PATH_INFO.text(request);
        String route = Routes.routeOrNull(context + servletPath + nonNull(pathInfo), status);
        return route != null ? route : Routes.fallback(context + pattern(request));
    }

    /** The mapping that received the request (Servlet 4+), e.g. {@code /api/*}, {@code /mcp}, {@code /}. */
    private static String pattern(Object request) {
        Object mapping = ServletApi.GET_HTTP_SERVLET_MAPPING.get(request);
        String pattern = ServletApi.GET_PATTERN.text(mapping);
        if (pattern == null) {
            return "/*";
        }
        return pattern.isEmpty() ? "/" : pattern;
    }

    private static Long requestBytes(Object request) {
        Object n = ServletApi.GET_CONTENT_LENGTH_LONG.get(request);
        if (!(n instanceof Number)) {
            n = ServletApi.GET_CONTENT_LENGTH.get(request);
        }
        return n instanceof Number num && num.longValue() >= 0 ? num.longValue() : null;
    }

    static Long headerLength(Object header) {
        if (header == null) {
            return null;
        }
        try {
            long n = Long.parseLong(header.toString().trim());
            return n >= 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isEventStream(Object response) {
        String type = ServletApi.GET_CONTENT_TYPE.text(response);
        return type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
