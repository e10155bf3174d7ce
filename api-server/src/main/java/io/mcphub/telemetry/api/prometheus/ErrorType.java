package io.mcphub.telemetry.api.prometheus;

import io.mcphub.telemetry.model.Outcome;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code error.type} of a tool call as the MCP conventions ask (docs/gen-ai/mcp.md, note [1] of the
 * operation metrics): the JSON-RPC error code when one was returned, {@code tool_error} for a
 * CallToolResult with isError, else a low-cardinality class of the failure: the exception class,
 * {@code timeout}, {@code cancelled}, or the convention's fallback {@code _OTHER}. Absent on success.
 */
final class ErrorType {
    static final String OTHER = "_OTHER";
    // how the agent stores a JSON-RPC error: the client side in the message, the served side in the class
    private static final Pattern CLIENT_CODE = Pattern.compile("\\(JSON-RPC error (-?\\d+)\\)$");
    private static final Pattern SERVED_CODE = Pattern.compile("^JSONRPCError\\((-?\\d+)\\)$");

    private ErrorType() {
    }

    static String of(Outcome outcome, String errorClass, String errorMessage) {
        return switch (outcome) {
            case SUCCESS -> null;
            case TOOL_ERROR -> "tool_error";
            case TIMEOUT -> "timeout";
            case CANCELLED -> "cancelled";
            case PROTOCOL_ERROR, EXCEPTION -> {
                String code = code(errorClass, errorMessage);
                yield code != null ? code : errorClass != null && !errorClass.isBlank() ? errorClass : OTHER;
            }
        };
    }

    private static String code(String errorClass, String errorMessage) {
        if (errorClass != null) {
            Matcher m = SERVED_CODE.matcher(errorClass);
            if (m.find()) {
                return m.group(1);
            }
        }
        if (errorMessage != null) {
            Matcher m = CLIENT_CODE.matcher(errorMessage);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }
}
