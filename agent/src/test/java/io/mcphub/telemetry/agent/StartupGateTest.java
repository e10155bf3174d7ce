package io.mcphub.telemetry.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.agent.instrumentation.oauth.OAuthInstrumentation;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientSession;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
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
        assertTrue(StartupGate.isInterface(classFile(McpClientTransport.class)));
        assertTrue(StartupGate.isInterface(classFile(Runnable.class)));
        assertFalse(StartupGate.isInterface(classFile(McpClientSession.class)));
        assertFalse(StartupGate.isInterface(classFile(StartupGateTest.class)));
        assertFalse(StartupGate.isInterface(new byte[] {1, 2, 3}), "a malformed class file is not taken for an interface");
    }

    @Test
    void beforeTheInstallationOnlyClassesARuleMayAdviseWait() throws Exception {
        Instrumentations.rules(); // as the installation makes them: their conditions are registered
        StartupGate gate = new StartupGate(null);
        gate.rulesKnown();
        ClassLoader loader = StartupGateTest.class.getClassLoader();
        assertFalse(gate.holdsBack(loader, "io/modelcontextprotocol/spec/McpError", classFile(McpError.class)),
                "an SDK class no rule advises (the demo hub's first) loads at once");
        assertFalse(gate.holdsBack(loader, "io/modelcontextprotocol/spec/McpClientTransport", classFile(McpClientTransport.class)),
                "an interface loads at once");
        assertTrue(gate.holdsBack(loader, "io/modelcontextprotocol/spec/McpClientSession", classFile(McpClientSession.class)));
        assertTrue(gate.holdsBack(loader, "io/modelcontextprotocol/client/transport/HttpClientStreamableHttpTransport",
                classFile(HttpClientStreamableHttpTransport.class)), "a transport implements McpClientTransport: it waits");
        assertTrue(gate.holdsBack(null, "sun/net/httpserver/ServerImpl", classFile(Class.forName("sun.net.httpserver.ServerImpl"))),
                "the JDK's HTTP server waits, so that a hub's handlers are instrumented before it serves");
        assertFalse(gate.holdsBack(loader, "io/mcphub/Other", classFile(StartupGateTest.class)), "not a waiting package");
    }

    @Test
    void aClassThatWaitsIsTransformedOnceTheGateOpens() throws Exception {
        Instrumentations.rules();
        StartupGate gate = new StartupGate(null);
        gate.rulesKnown();
        ClassLoader loader = StartupGateTest.class.getClassLoader();
        byte[] session = classFile(McpClientSession.class);
        byte[] transformed = {42};
        java.util.concurrent.atomic.AtomicReference<byte[]> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread loading = new Thread(() -> {
            try {
                result.set(gate.transform(null, loader, "io/modelcontextprotocol/spec/McpClientSession", null, null, session));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        loading.start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (loading.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.TIMED_WAITING, loading.getState(), "the class waits for the installation");
        gate.instrumentation().addTransformer(new java.lang.instrument.ClassFileTransformer() {
            @Override
            public byte[] transform(Module m, ClassLoader l, String n, Class<?> r, java.security.ProtectionDomain d, byte[] b) {
                return transformed;
            }
        });
        loading.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(StartupGate.MAX_WAIT_SECONDS));
        assertArrayEquals(transformed, result.get(), "once open, the waiting class goes through Byte Buddy's transformer");
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
