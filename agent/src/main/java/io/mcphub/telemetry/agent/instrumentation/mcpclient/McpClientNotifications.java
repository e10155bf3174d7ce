package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.DATA;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.LEVEL;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.LOGGER;
import static io.mcphub.telemetry.agent.instrumentation.common.McpSdk.URI;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.json.JsonWriter;
import io.mcphub.telemetry.model.LogLevel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Notifications from a server: log messages become logs, list changes become events. */
final class McpClientNotifications {

    private static volatile JsonWriter logText;

    private McpClientNotifications() {
    }

    static void received(McpHubTelemetry t, ServerConnection c, String method, Object params) {
        if (method == null) {
            return;
        }
        switch (method) {
            case "notifications/message" -> {
                LogLevel level = level(LEVEL.text(params));
                String logger = LOGGER.text(params);
                Object data = DATA.get(params);
                String text = data instanceof CharSequence s ? s.toString() : logText(t).write(data);
                @SuppressWarnings("unchecked")
                Map<String, ?> context = data instanceof Map<?, ?> m ? (Map<String, ?>) m : null;
                c.whenNamed(server -> t.log(server, level, logger, text == null ? "" : text, context));
            }
            case "notifications/tools/list_changed" -> event(t, c, "tools.list_changed", method, null);
            case "notifications/resources/list_changed" -> event(t, c, "resources.list_changed", method, null);
            case "notifications/prompts/list_changed" -> event(t, c, "prompts.list_changed", method, null);
            case "notifications/resources/updated" -> event(t, c, "resources.updated", method, URI.text(params));
            default -> {
            }
        }
    }

    private static void event(McpHubTelemetry t, ServerConnection c, String type, String method, String uri) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("method", method);
        if (uri != null) {
            payload.put("uri", uri);
        }
        c.whenNamed(server -> t.logEvent(type, server, payload));
    }

    private static LogLevel level(String level) {
        if (level != null) {
            try {
                return LogLevel.valueOf(level.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                // fall through
            }
        }
        return LogLevel.INFO;
    }

    private static JsonWriter logText(McpHubTelemetry t) {
        JsonWriter w = logText;
        if (w == null) {
            w = new JsonWriter(t.config().redactKeys(), t.config().maxTextChars());
            logText = w;
        }
        return w;
    }
}
