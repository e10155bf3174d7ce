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
    void aServerKnownOnlyByItsEndpointIsNamedByHostAndPortOrByWhatItsCommandRuns() {
        assertEquals("127.0.0.1:9001", new TransportEndpoint(Transport.STREAMABLE_HTTP, "http://127.0.0.1:9001/mcp").shortName());
        assertEquals("tools.example.com", new TransportEndpoint(Transport.SSE, "https://tools.example.com/sse").shortName());
        assertEquals("[::1]:3001", new TransportEndpoint(Transport.SSE, "http://[::1]:3001/sse").shortName());
        assertEquals("server-everything", stdio("npx -y @modelcontextprotocol/server-everything@2025.1.1 stdio"));
        assertEquals("mcp-server-fetch", stdio("uvx mcp-server-fetch"));
        assertEquals("index.js", stdio("node /opt/mcp/dist/index.js stdio"));
        assertEquals("github", stdio("docker run -i --rm mcp/github"));
        assertEquals("tool-server.jar", stdio("/usr/bin/java -jar /opt/tool-server.jar --token [REDACTED]"));
        assertEquals("my-server", stdio("./bin/my-server --port 3"), "not a launcher: the command itself");
        assertEquals("false", stdio("/bin/false"));
        assertEquals("npx", stdio("npx --version"));
        assertEquals("stdio-server", new TransportEndpoint(Transport.STDIO, null).shortName());
    }

    private static String stdio(String commandLine) {
        return new TransportEndpoint(Transport.STDIO, commandLine).shortName();
    }
}
