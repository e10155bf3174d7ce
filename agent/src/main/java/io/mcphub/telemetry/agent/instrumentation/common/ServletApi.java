package io.mcphub.telemetry.agent.instrumentation.common;

import static io.mcphub.telemetry.agent.instrumentation.common.Member.method;
import static io.mcphub.telemetry.agent.instrumentation.common.Member.methodWithString;

/**
 * The members of servlet requests and responses (jakarta and javax alike: the agent links against
 * neither) and of Jetty's and Tomcat's connectors that the agent reads.
 */
public final class ServletApi {

    public static final Member GET_METHOD = method("getMethod");
    public static final Member GET_REQUEST_URI = method("getRequestURI");
    public static final Member GET_QUERY_STRING = method("getQueryString");
    public static final Member GET_CONTEXT_PATH = method("getContextPath");
    public static final Member GET_SERVLET_PATH = method("getServletPath");
    public static final Member GET_PATH_INFO = method("getPathInfo");
    public static final Member GET_HTTP_SERVLET_MAPPING = method("getHttpServletMapping");
    public static final Member GET_PATTERN = method("getPattern");
    public static final Member GET_DISPATCHER_TYPE = method("getDispatcherType");
    public static final Member IS_ASYNC_STARTED = method("isAsyncStarted");
    public static final Member GET_ASYNC_CONTEXT = method("getAsyncContext");
    public static final Member GET_CONTENT_LENGTH_LONG = method("getContentLengthLong");
    public static final Member GET_CONTENT_LENGTH = method("getContentLength");
    public static final Member GET_LOCAL_PORT = method("getLocalPort");
    public static final Member GET_LOCAL_ADDR = method("getLocalAddr");
    public static final Member GET_STATUS = method("getStatus");
    public static final Member GET_CONTENT_TYPE = method("getContentType");
    public static final Member GET_HEADER = methodWithString("getHeader");
    /** Jetty {@code ServerConnector} / Tomcat {@code Connector}. */
    public static final Member CONNECTOR_HOST = method("getHost");

    private ServletApi() {
    }

    /** The response status, or -1 when unknown. */
    public static int status(Object response) {
        return GET_STATUS.get(response) instanceof Number n ? n.intValue() : -1;
    }
}
