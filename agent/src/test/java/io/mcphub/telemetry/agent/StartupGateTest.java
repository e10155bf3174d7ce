package io.mcphub.telemetry.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.agent.instrumentation.oauth.OAuthInstrumentation;
import org.junit.jupiter.api.Test;

class StartupGateTest {

    @Test
    void classesTheRulesAdviseWaitForTheInstallation() {
        for (String name : new String[] {"io/modelcontextprotocol/spec/McpClientSession",
                "io/modelcontextprotocol/client/transport/HttpClientStreamableHttpTransport",
                "io/modelcontextprotocol/client/transport/StdioClientTransport",
                "io/modelcontextprotocol/spec/McpServerSession", "io/modelcontextprotocol/spec/McpStreamableServerSession$Factory",
                "io/modelcontextprotocol/server/McpAsyncServer",
                "io/modelcontextprotocol/server/transport/HttpServletStreamableServerTransportProvider",
                "jakarta/servlet/http/HttpServlet", "jakarta/servlet/http/HttpFilter", "javax/servlet/http/HttpServlet",
                "org/eclipse/jetty/server/ServerConnector", "org/apache/catalina/connector/Connector",
                "sun/net/httpserver/ServerImpl"}) {
            assertTrue(StartupGate.waits(name), name);
        }
        for (String jdkTarget : OAuthInstrumentation.JDK_TARGETS) {
            assertTrue(StartupGate.waits(jdkTarget.replace('.', '/')), jdkTarget + " is advised: it must wait");
        }
    }

    @Test
    void interfacesAreToldFromClassesByTheirHeader() throws Exception {
        assertTrue(StartupGate.isInterface(classFile(io.modelcontextprotocol.spec.McpClientTransport.class)));
        assertTrue(StartupGate.isInterface(classFile(Runnable.class)));
        assertFalse(StartupGate.isInterface(classFile(io.modelcontextprotocol.spec.McpClientSession.class)));
        assertFalse(StartupGate.isInterface(classFile(StartupGateTest.class)));
        assertFalse(StartupGate.isInterface(new byte[] {1, 2, 3}), "a malformed class file is not taken for an interface");
    }

    private static byte[] classFile(Class<?> type) throws java.io.IOException {
        ClassLoader loader = type.getClassLoader() == null ? ClassLoader.getPlatformClassLoader() : type.getClassLoader();
        try (java.io.InputStream in = loader.getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void typesNoRuleAdvisesLoadAtOnce() {
        for (String name : new String[] {"io/modelcontextprotocol/spec/McpSchema", "io/modelcontextprotocol/spec/McpSchema$Tool",
                "io/modelcontextprotocol/client/McpSyncClient", "io/modelcontextprotocol/client/McpAsyncClient",
                "io/modelcontextprotocol/client/McpClient$SyncSpec", "io/modelcontextprotocol/server/McpServerFeatures",
                "io/modelcontextprotocol/server/McpSyncServer", "java/net/http/HttpClient", "java/net/http/HttpRequest",
                "jdk/internal/net/http/HttpRequestImpl", "org/springframework/boot/SpringApplication", "java/lang/String"}) {
            assertFalse(StartupGate.waits(name), name);
        }
    }
}
