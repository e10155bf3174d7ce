package io.mcphub.telemetry.agent.instrumentation.common;

/** The kind of an SDK {@code McpSchema.JSONRPCMessage}, told by its class name (the SDK's records). */
public enum JsonRpc {
    REQUEST, RESPONSE, NOTIFICATION, OTHER;

    private static final ClassValue<JsonRpc> KINDS = new ClassValue<>() {
        @Override
        protected JsonRpc computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                switch (c.getSimpleName()) {
                    case "JSONRPCRequest":
                        return REQUEST;
                    case "JSONRPCResponse":
                        return RESPONSE;
                    case "JSONRPCNotification":
                        return NOTIFICATION;
                    default:
                        break;
                }
            }
            return OTHER;
        }
    };

    public static JsonRpc of(Object message) {
        return message == null ? OTHER : KINDS.get(message.getClass());
    }
}
