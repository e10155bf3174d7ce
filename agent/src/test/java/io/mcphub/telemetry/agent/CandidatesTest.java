package io.mcphub.telemetry.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.hub.JdkHandlers;
import io.modelcontextprotocol.spec.McpClientSession;
import io.mcphub.telemetry.agent.instrumentation.common.ClassBytes;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The start-up gate hands Byte Buddy only the classes a rule may match ({@code Candidates}); if it held back one
 * that a rule transforms, that class would run without its advice. So every class of the MCP SDK, of the other
 * libraries on this class path and of this module's tests goes through the agent's real rules (Byte Buddy's
 * transformer, made without installing it), and each one the rules transform must be one the gate hands over.
 */
class CandidatesTest {

    private static final ClassFileTransformer RULES = Instrumentations.rules().makeRaw();

    @Test
    void everyClassTheRulesTransformIsHandedToByteBuddy() throws Exception {
        ClassLoader loader = CandidatesTest.class.getClassLoader();
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (Class<?> inJar : new Class<?>[] {McpClientSession.class, Test.class, org.slf4j.Logger.class,
                com.fasterxml.jackson.annotation.JsonProperty.class, reactor.core.publisher.Mono.class}) {
            readJar(location(inJar), classes);
        }
        readDirectory(location(CandidatesTest.class), classes);

        List<String> transformed = new ArrayList<>();
        List<String> handedOver = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            String name = c.getKey();
            byte[] bytes = c.getValue();
            boolean rules;
            boolean gate;
            ClassBytes.set(name, bytes);
            try {
                rules = transforms(loader, name, bytes);
                gate = StartupGate.handsOver(loader, name, bytes);
            } finally {
                ClassBytes.clear();
            }
            if (rules) {
                transformed.add(name);
            }
            if (gate) {
                handedOver.add(name);
            }
            if (rules && !gate) {
                missed.add(name);
            }
        }
        assertTrue(missed.isEmpty(), "transformed by the rules but not handed over by the gate: " + missed);
        // an interface of a package that waits for the installation loads at once: no rule may advise one
        for (String name : transformed) {
            assertFalse(StartupGate.waits(name) && StartupGate.isInterface(classes.get(name)),
                    name + " is an interface the rules transform, and the gate would not hold it back");
        }
        for (String expected : new String[] {"io/modelcontextprotocol/spec/McpClientSession",
                "io/modelcontextprotocol/client/transport/StdioClientTransport",
                "io/modelcontextprotocol/client/transport/HttpClientStreamableHttpTransport",
                "io/modelcontextprotocol/server/McpAsyncServer", "io/modelcontextprotocol/spec/McpServerSession",
                internal(JdkHandlers.Handler.class), internal(JdkHandlers.DeclaresHandlerLambda.class)}) {
            assertTrue(transformed.contains(expected), expected + " is transformed by the rules (of " + classes.size() + ")");
        }
        // the point of the gate: most classes never reach Byte Buddy
        assertTrue(handedOver.size() * 10 < classes.size(), handedOver.size() + " of " + classes.size()
                + " classes handed over: " + handedOver);
        for (String never : new String[] {"io/modelcontextprotocol/spec/McpSchema$Tool",
                "io/modelcontextprotocol/client/McpSyncClient", "com/fasterxml/jackson/annotation/JsonProperty",
                "reactor/core/publisher/Mono", internal(CandidatesTest.class)}) {
            assertTrue(classes.containsKey(never), never + " was read");
            assertFalse(handedOver.contains(never), never + " cannot match a rule");
        }
    }

    /**
     * Whether the rules transform the class; a class they fail on (a super type missing from this class path, such
     * as the servlet API the SDK's servlet transports extend) counts as transformed, since the gate must hand over
     * every class the rules look into.
     */
    private static boolean transforms(ClassLoader loader, String name, byte[] bytes) {
        try {
            return RULES.transform(loader.getUnnamedModule(), loader, name, null, null, bytes) != null;
        } catch (Exception e) {
            return true;
        }
    }

    private static String internal(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void readJar(Path jar, Map<String, byte[]> into) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String n = e.getName();
                if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")) {
                    into.put(n.substring(0, n.length() - ".class".length()), file.getInputStream(e).readAllBytes());
                }
            }
        }
    }

    private static void readDirectory(Path root, Map<String, byte[]> into) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = root.relativize(f).toString().replace('\\', '/');
                if (n.endsWith(".class")) {
                    into.put(n.substring(0, n.length() - ".class".length()), Files.readAllBytes(f));
                }
            }
        }
    }
}
