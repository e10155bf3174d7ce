package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.CAPABILITIES;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.CODE;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.DESCRIPTION;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.ERROR;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.INPUT_SCHEMA;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.IS_ERROR;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.MESSAGE;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.METHOD;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.MIME_TYPE;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.NAME;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.NEXT_CURSOR;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.PARAMS;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.PROTOCOL_VERSION;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.RESULT;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.SERVER_INFO;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.SESSION_TRANSPORT;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.TITLE;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.URI;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.VERSION;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.PromptInfo;
import io.mcphub.telemetry.ResourceInfo;
import io.mcphub.telemetry.ToolInfo;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.JsonRpc;
import io.mcphub.telemetry.agent.instrumentation.common.McpSdk;
import io.mcphub.telemetry.model.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages from a server reaching the client session ({@code McpClientSession.handle}): responses
 * complete the call with the same id; notifications go to {@link McpClientNotifications}.
 */
public final class McpClientResponses {

    private static final int MAX_ERROR_TEXT = 2_000;
    /** Error class of a tools/call whose result is not a JSON object. */
    static final String INVALID_RESULT = "InvalidCallToolResult";

    private McpClientResponses() {
    }

    public static void onIncoming(Object session, Object message) {
        long now = System.nanoTime();
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t == null) {
                return;
            }
            Object transport = SESSION_TRANSPORT.get(session);
            ServerConnection c = transport == null ? null : McpClientSingletons.CONNECTIONS.of(transport);
            if (c != null) {
                McpClientLifecycle.watchProcess(c, transport);
            }
            JsonRpc kind = JsonRpc.of(message);
            if (kind == JsonRpc.RESPONSE) {
                ClientCall call = McpClientSingletons.CALLS.finish(McpSdk.id(message));
                if (call != null) {
                    response(t, call, message, now);
                }
            } else if (kind == JsonRpc.NOTIFICATION && c != null) {
                McpClientNotifications.received(t, c, METHOD.text(message), PARAMS.get(message));
            }
        } catch (Throwable e) {
            AgentErrors.report("mcp-client-receive", e);
        }
    }

    private static void response(McpHubTelemetry t, ClientCall call, Object message, long now) {
        ServerConnection c = call.connection;
        Object error = ERROR.get(message);
        Object result = RESULT.get(message);
        switch (call.method) {
            case McpClientRequests.INITIALIZE -> {
                if (error != null) {
                    McpClientLifecycle.connectFailed(t, c, rpcError(error));
                } else {
                    Object info = SERVER_INFO.get(result);
                    String name = c.name() != null ? c.name()
                            : McpClientSingletons.NAMING.fromServerInfo(c.endpoint, NAME.text(info));
                    c.connected(t, name, VERSION.text(info), PROTOCOL_VERSION.text(result), CAPABILITIES.get(result));
                }
            }
            case McpClientRequests.TOOLS_CALL -> {
                c.responded(t);
                if (error != null) {
                    record(t, call, now, Outcome.PROTOCOL_ERROR, "McpError", rpcError(error), -1);
                } else if (!isResultObject(result)) {
                    // the SDK cannot read a CallToolResult from it and fails the call (the demo hub answers 502)
                    record(t, call, now, Outcome.PROTOCOL_ERROR, INVALID_RESULT, "tools/call result is "
                            + jsonKind(result) + ", not a CallToolResult object", McpClientRequests.bytes(result), result);
                } else if (Boolean.TRUE.equals(IS_ERROR.get(result))) {
                    String text = McpSdk.firstText(result);
                    record(t, call, now, Outcome.TOOL_ERROR, null, text == null ? "tool reported isError=true" : cap(text),
                            McpClientRequests.bytes(result), result);
                } else {
                    record(t, call, now, Outcome.SUCCESS, null, null, McpClientRequests.bytes(result), result);
                }
            }
            default -> {
                c.responded(t);
                if (error == null) {
                    listed(t, c, call, result);
                }
            }
        }
    }

    static void record(McpHubTelemetry t, ClientCall call, long endNanos, Outcome outcome, String errorClass,
                       String errorMessage, int resultBytes) {
        record(t, call, endNanos, outcome, errorClass, errorMessage, resultBytes, null);
    }

    /** Completes a tools/call and records it once its server has a name. */
    static void record(McpHubTelemetry t, ClientCall call, long endNanos, Outcome outcome, String errorClass,
                       String errorMessage, int resultBytes, Object result) {
        call.connection.whenNamed(server -> t.logToolCall(
                call.completed(server, endNanos, outcome, errorClass, errorMessage, resultBytes), call.arguments, result));
    }

    /** A page of tools/resources/prompts; the full list (all pages) is registered. */
    private static void listed(McpHubTelemetry t, ServerConnection c, ClientCall call, Object result) {
        String kind = call.method.substring(0, call.method.indexOf('/'));
        List<Object> items = call.cursor == null ? new ArrayList<>() : c.takePages(call.method, call.cursor);
        Object listed = switch (kind) {
            case "tools" -> McpSdk.TOOLS.get(result);
            case "resources" -> McpSdk.RESOURCES.get(result);
            default -> McpSdk.PROMPTS.get(result);
        };
        if (items == null || !(listed instanceof List<?> page)) {
            return; // the first pages were not seen: no full list to register
        }
        for (Object item : page) {
            if (items.size() < ServerConnection.MAX_LISTED_ITEMS) {
                items.add(item);
            }
        }
        String next = NEXT_CURSOR.text(result);
        if (next != null && !next.isEmpty()) {
            c.keepPages(call.method, next, items);
            return;
        }
        switch (kind) {
            case "tools" -> {
                List<ToolInfo> tools = new ArrayList<>(items.size());
                for (Object i : items) {
                    String name = NAME.text(i);
                    if (name != null) {
                        tools.add(new ToolInfo(name, TITLE.text(i), DESCRIPTION.text(i), INPUT_SCHEMA.get(i)));
                    }
                }
                c.whenNamed(server -> t.registerTools(server, tools));
            }
            case "resources" -> {
                List<ResourceInfo> resources = new ArrayList<>(items.size());
                for (Object i : items) {
                    String uri = URI.text(i);
                    if (uri != null) {
                        resources.add(new ResourceInfo(uri, NAME.text(i), DESCRIPTION.text(i), MIME_TYPE.text(i)));
                    }
                }
                c.whenNamed(server -> t.registerResources(server, resources));
            }
            case "prompts" -> {
                List<PromptInfo> prompts = new ArrayList<>(items.size());
                for (Object i : items) {
                    String name = NAME.text(i);
                    if (name != null) {
                        prompts.add(new PromptInfo(name, DESCRIPTION.text(i), McpSdk.ARGUMENTS.get(i)));
                    }
                }
                c.whenNamed(server -> t.registerPrompts(server, prompts));
            }
            default -> {
            }
        }
    }

    /**
     * A JSON-RPC result read by the SDK is a map for a JSON object, else a string, number, boolean, list
     * or null; a typed result (a transport that hands over SDK objects) counts as an object.
     */
    static boolean isResultObject(Object result) {
        return result != null && !(result instanceof CharSequence) && !(result instanceof Number)
                && !(result instanceof Boolean) && !(result instanceof java.util.Collection<?>)
                && !result.getClass().isArray();
    }

    private static String jsonKind(Object result) {
        if (result == null) {
            return "null";
        }
        if (result instanceof CharSequence) {
            return "a JSON string";
        }
        if (result instanceof Number) {
            return "a JSON number";
        }
        if (result instanceof Boolean) {
            return "a JSON boolean";
        }
        return "a JSON array";
    }

    private static String rpcError(Object error) {
        return cap(MESSAGE.text(error) + " (JSON-RPC error " + CODE.text(error) + ")");
    }

    static String cap(String s) {
        return s == null || s.length() <= MAX_ERROR_TEXT ? s : s.substring(0, MAX_ERROR_TEXT) + "…";
    }
}
