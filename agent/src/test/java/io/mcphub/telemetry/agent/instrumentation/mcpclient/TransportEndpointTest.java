package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mcphub.telemetry.model.Transport;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportEndpointTest {

    /** Shaped like the SDK's ServerParameters (read by accessor names, as from the real class). */
    public static final class Params {
        public String getCommand() {
            return "npx";
        }

        public List<String> getArgs() {
            return List.of("-y", "server", "--api-key", "sk-1", "--token=t-2", "--verbose", "PASSWORD=x", "plain");
        }

        public java.util.Map<String, String> getEnv() {
            return java.util.Map.of("SECRET", "never");
        }
    }

    static final class StdioLike {
        private final Params params = new Params();
    }

    static final class HttpClientStreamableLike {
        private final URI baseUri = URI.create("https://alice:secret@example.com:8443");
        private final String endpoint = "/mcp?api_key=k&tenant=t";
    }

    static final class HttpClientSseLike {
        private final URI baseUri = URI.create("http://127.0.0.1:3001");
        private final String sseEndpoint = "/sse";
    }

    @Test
    void stdioIsTheCommandLineWithSecretOptionValuesHiddenAndNoEnvironment() {
        TransportEndpoint e = TransportEndpoint.of(new StdioLike());
        assertEquals(Transport.STDIO, e.transport());
        assertEquals("npx -y server --api-key [REDACTED] --token=[REDACTED] --verbose PASSWORD=[REDACTED] plain",
                e.endpoint());
    }

    @Test
    void httpUrlsLoseUserInfoAndQueryValues() {
        TransportEndpoint e = TransportEndpoint.of(new HttpClientStreamableLike());
        assertEquals(Transport.STREAMABLE_HTTP, e.transport());
        assertEquals("https://example.com:8443/mcp?api_key=[REDACTED]&tenant=[REDACTED]", e.endpoint());
        TransportEndpoint sse = TransportEndpoint.of(new HttpClientSseLike());
        assertEquals(Transport.SSE, sse.transport());
        assertEquals("http://127.0.0.1:3001/sse", sse.endpoint());
    }

    @Test
    void anUnknownTransportIsRecordedAsUnknownWithoutEndpoint() {
        TransportEndpoint e = TransportEndpoint.of(new Object());
        assertEquals(Transport.UNKNOWN, e.transport());
        assertNull(e.endpoint());
    }

    @Test
    void serversReportingTheSameNameFromDifferentEndpointsAreToldApart() {
        Connections connections = new Connections(1);
        TransportEndpoint a = new TransportEndpoint(Transport.STDIO, "node a.js");
        TransportEndpoint b = new TransportEndpoint(Transport.STREAMABLE_HTTP, "http://h/mcp");
        assertEquals("everything", connections.name("everything", a));
        assertEquals("everything#2", connections.name("everything", b));
        assertEquals("everything", connections.name("everything", a), "a reconnect keeps its name");
        assertEquals("other", connections.name("other", b));
        assertEquals("stdio-server", connections.name(null, a));
    }
}
