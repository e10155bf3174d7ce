package io.mcphub.telemetry.agent.instrumentation.common;

import static io.mcphub.telemetry.agent.instrumentation.common.Member.field;
import static io.mcphub.telemetry.agent.instrumentation.common.Member.method;
import static io.mcphub.telemetry.agent.instrumentation.common.Member.property;

import java.util.List;

/**
 * Every member of MCP Java SDK objects the agent reads, in one place, with the SDK's own names:
 * properties of JSON-RPC messages and their params and results (records, or maps where the SDK
 * left them untyped), and the private fields of sessions and transports (SDK 1.x and 2.x).
 */
public final class McpSdk {

    // JSON-RPC messages
    public static final Member METHOD = property("method");
    public static final Member ID = property("id");
    public static final Member PARAMS = property("params");
    public static final Member RESULT = property("result");
    public static final Member ERROR = property("error");
    public static final Member CODE = property("code");
    public static final Member MESSAGE = property("message");

    // params and results
    public static final Member NAME = property("name");
    public static final Member TITLE = property("title");
    public static final Member VERSION = property("version");
    public static final Member DESCRIPTION = property("description");
    public static final Member ARGUMENTS = property("arguments");
    public static final Member CURSOR = property("cursor");
    public static final Member NEXT_CURSOR = property("nextCursor");
    public static final Member REQUEST_ID = property("requestId");
    public static final Member REASON = property("reason");
    public static final Member SERVER_INFO = property("serverInfo");
    public static final Member CLIENT_INFO = property("clientInfo");
    public static final Member PROTOCOL_VERSION = property("protocolVersion");
    public static final Member CAPABILITIES = property("capabilities");
    public static final Member IS_ERROR = property("isError");
    public static final Member CONTENT = property("content");
    public static final Member TEXT = property("text");
    public static final Member URI = property("uri");
    public static final Member MIME_TYPE = property("mimeType");
    public static final Member INPUT_SCHEMA = property("inputSchema");
    public static final Member LEVEL = property("level");
    public static final Member LOGGER = property("logger");
    public static final Member DATA = property("data");
    public static final Member TOOLS = property("tools");
    public static final Member RESOURCES = property("resources");
    public static final Member PROMPTS = property("prompts");

    // client sessions and transports
    public static final Member SESSION_TRANSPORT = field("transport");
    public static final Member SESSION_REQUEST_TIMEOUT = field("requestTimeout");
    public static final Member SESSION_PENDING_RESPONSES = field("pendingResponses");
    public static final Member STDIO_PARAMS = field("params");
    public static final Member STDIO_COMMAND = method("getCommand");
    public static final Member STDIO_ARGS = method("getArgs");
    public static final Member STDIO_PROCESS = field("process");
    public static final Member HTTP_BASE_URI = field("baseUri");
    public static final Member HTTP_SSE_ENDPOINT = field("sseEndpoint");
    public static final Member HTTP_ENDPOINT = field("endpoint");
    public static final Member HTTP_ACTIVE_SESSION = field("activeSession");
    public static final Member REFERENCE_GET = method("get");
    public static final Member SESSION_ID = property("sessionId");

    // server sessions
    public static final Member SERVER_SESSION_ID = method("getId");
    public static final Member SERVER_SESSION_TRANSPORT = field("transport");
    public static final Member SERVER_REQUEST_HANDLERS = field("requestHandlers");
    public static final Member SESSION_INIT_SESSION = property("session");
    /** The streamable session a response stream belongs to (an inner class's outer instance). */
    public static final Member STREAM_SESSION = field("this$0");
    public static final Member STREAM_CONNECTION = field("connection");
    public static final Member SERVER_INFO_OF_SERVER = method("getServerInfo");

    private McpSdk() {
    }

    /** JSON-RPC ids are strings or numbers; both are kept as text. */
    public static String id(Object message) {
        Object id = ID.get(message);
        return id == null ? null : id.toString();
    }

    /** The first text item of a tool result's content: what an {@code isError} result says went wrong. */
    public static String firstText(Object result) {
        if (CONTENT.get(result) instanceof List<?> content) {
            for (Object item : content) {
                String text = TEXT.text(item);
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }
}
