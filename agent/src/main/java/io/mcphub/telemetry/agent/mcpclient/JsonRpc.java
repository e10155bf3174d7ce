package io.mcphub.telemetry.agent.mcpclient;

/** The kind of an SDK {@code McpSchema.JSONRPCMessage}, told by its class name (the SDK's records). */
enum JsonRpc {
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

    static JsonRpc of(Object message) {
        return message == null ? OTHER : KINDS.get(message.getClass());
    }

    /** JSON-RPC ids are strings or numbers; both are kept as text. */
    static String id(Object message) {
        Object id = Props.get(message, "id");
        return id == null ? null : id.toString();
    }
}
