package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mcphub.telemetry.config.ServerNameRules;
import io.mcphub.telemetry.model.Transport;
import org.junit.jupiter.api.Test;

class ServerNamingTest {

    private static final TransportEndpoint EVERYTHING = new TransportEndpoint(Transport.STDIO,
            "npx -y @modelcontextprotocol/server-everything");
    private static final TransportEndpoint TOOLS = new TransportEndpoint(Transport.STREAMABLE_HTTP,
            "http://127.0.0.1:9001/mcp");
    private static final TransportEndpoint TOOLS_COPY = new TransportEndpoint(Transport.STREAMABLE_HTTP,
            "http://127.0.0.1:9002/mcp");
    private static final ServerNameRules RULES = ServerNameRules.parse("everything=*server-everything*,"
            + "java-tools=http://127.0.0.1:900?/*");

    private final ServerNaming naming = new ServerNaming();

    @Test
    void theConfiguredRuleComesFirstThenTheHubsConnectionName() {
        assertEquals("everything", naming.beforeInitialize(EVERYTHING, RULES, "spring-ai-mcp-client - evr", "evr"));
        TransportEndpoint other = new TransportEndpoint(Transport.SSE, "http://10.0.0.7:3001/sse");
        assertEquals("weather", naming.beforeInitialize(other, RULES, "spring-ai-mcp-client - weather", "weather"));
        TransportEndpoint plain = new TransportEndpoint(Transport.SSE, "http://10.0.0.8:3001/sse");
        assertNull(naming.beforeInitialize(plain, RULES, "demo-hub", null), "named later, by its answer");
        assertEquals("weather-server", naming.fromServerInfo(plain, "weather-server"));
    }

    @Test
    void aNameTakenByAnotherEndpointGetsASuffixWhateverItsSource() {
        assertEquals("java-tools", naming.beforeInitialize(TOOLS, RULES, null, null));
        assertEquals("java-tools#2", naming.beforeInitialize(TOOLS_COPY, RULES, null, null));
        assertEquals("java-tools", naming.beforeInitialize(TOOLS, RULES, null, null), "the same endpoint, the same name");
        TransportEndpoint a = new TransportEndpoint(Transport.STDIO, "node a.js");
        TransportEndpoint b = new TransportEndpoint(Transport.STDIO, "node b.js");
        assertEquals("files", naming.fromServerInfo(a, "files"));
        assertEquals("files#2", naming.fromServerInfo(b, "files"));
        assertEquals("stdio-server", naming.fromServerInfo(new TransportEndpoint(Transport.STDIO, "x"), " "));
    }

    @Test
    void serversReportingTheSameNameFromDifferentEndpointsAreToldApart() {
        TransportEndpoint a = new TransportEndpoint(Transport.STDIO, "node a.js");
        TransportEndpoint b = new TransportEndpoint(Transport.STREAMABLE_HTTP, "http://h/mcp");
        assertEquals("everything", naming.fromServerInfo(a, "everything"));
        assertEquals("everything#2", naming.fromServerInfo(b, "everything"));
        assertEquals("everything", naming.fromServerInfo(a, "everything"), "a reconnect keeps its name");
        assertEquals("other", naming.fromServerInfo(b, "other"));
        assertEquals("stdio-server", naming.fromServerInfo(a, null));
    }

    @Test
    void anEndpointThatFailedBeforeSayingItsNameKeepsItsEndpointName() {
        TransportEndpoint down = new TransportEndpoint(Transport.STREAMABLE_HTTP, "http://10.1.1.1:8080/mcp");
        assertEquals("10.1.1.1:8080", naming.fromEndpoint(down), "failed before it said its name");
        assertEquals("10.1.1.1:8080", naming.fromServerInfo(down, "files"), "connected later: the same row");
        assertEquals("10.1.1.1:8080", naming.beforeInitialize(down, RULES, null, null));
    }
}
