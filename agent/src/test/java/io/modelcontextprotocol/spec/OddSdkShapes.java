package io.modelcontextprotocol.spec;

/** SDK-named types whose contents make the agent's hooks fail. */
public final class OddSdkShapes {
    private OddSdkShapes() {
    }

    /** A transport of an unknown SDK version: returns its own value, or throws for "boom". */
    public static final class OddTransport implements McpClientTransport {
        @Override
        public String sendMessage(Object message) {
            if ("boom".equals(String.valueOf(message))) {
                throw new IllegalArgumentException("boom from the transport");
            }
            return "sent:" + message;
        }
    }

    /** Classified as a request by its name; its method's text cannot even be read. */
    public static final class JSONRPCRequest {
        public Object method() {
            return new Object() {
                @Override
                public String toString() {
                    throw new IllegalStateException("unreadable method");
                }
            };
        }

        public Object id() {
            return 1;
        }

        @Override
        public String toString() {
            return "odd-request";
        }
    }
}
