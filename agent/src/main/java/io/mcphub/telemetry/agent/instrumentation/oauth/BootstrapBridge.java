package io.mcphub.telemetry.agent.instrumentation.oauth;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Makes {@code OAuthBridge} loadable by the bootstrap loader (and so by the platform loader of {@code java.net.http}):
 * its class bytes, copied from the agent jar, go into a one-class jar in a temp file that is appended to the
 * bootstrap search path; then {@code java.net.http} is made to read the bootstrap loader's unnamed module, which a
 * named module does not do by default. This runs before anything resolves the bridge through the application class
 * path; afterwards parent-first delegation makes every loader see the bootstrap copy.
 * <p>
 * Side effect, the same as with every agent that extends the bootstrap path (OpenTelemetry, New Relic, ...): with
 * class data sharing on, the JVM prints "Sharing is only supported for boot loader classes because bootstrap
 * classpath has been appended" once and stops sharing application classes. The alternative, defining the class in
 * the boot loader through {@code jdk.internal.misc.Unsafe} (Byte Buddy's {@code ClassInjector.UsingUnsafe}), avoids
 * that line but opens {@code jdk.internal.misc} to the whole application class path and prints deprecation warnings
 * of its own from JDK 24 on, so it was tried and rejected.
 */
final class BootstrapBridge {

    static final String BRIDGE = "io.mcphub.telemetry.agent.bootstrap.OAuthBridge";
    private static final String RESOURCE = BRIDGE.replace('.', '/') + ".class";

    private BootstrapBridge() {
    }

    /** The bootstrap copy of the bridge class. */
    static Class<?> install(Instrumentation inst) throws IOException, ClassNotFoundException {
        Class<?> bridge = bootstrapBridge();
        if (bridge == null) {
            byte[] bytes = bridgeBytes();
            bridge = appendToBootSearchPath(inst, bytes);
        }
        Module http = HttpClient.class.getModule();
        if (!http.canRead(bridge.getModule())) {
            inst.redefineModule(http, Set.of(bridge.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        }
        return bridge;
    }

    private static byte[] bridgeBytes() throws IOException {
        try (InputStream in = BootstrapBridge.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            return in.readAllBytes();
        }
    }

    private static Class<?> appendToBootSearchPath(Instrumentation inst, byte[] bytes)
            throws IOException, ClassNotFoundException {
        Path jar = Files.createTempFile("mcp-telemetry-bootstrap-", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(RESOURCE));
            out.write(bytes);
            out.closeEntry();
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        return Class.forName(BRIDGE, true, null);
    }

    private static Class<?> bootstrapBridge() {
        try {
            return Class.forName(BRIDGE, false, null);
        } catch (ClassNotFoundException notYet) {
            return null;
        }
    }
}
