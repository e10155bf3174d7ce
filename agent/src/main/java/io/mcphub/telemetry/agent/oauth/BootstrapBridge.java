package io.mcphub.telemetry.agent.oauth;

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
import net.bytebuddy.dynamic.loading.ClassInjector;

/**
 * Makes {@code OAuthBridge} loadable by the bootstrap loader (and so by the platform loader of {@code java.net.http}),
 * then makes {@code java.net.http} read the bootstrap loader's unnamed module, which a named module does not do by
 * default. The class bytes come from the agent jar. They are defined directly in the bootstrap loader (Byte Buddy's
 * Unsafe injector, with the module opened through {@link Instrumentation}); only where that is unavailable are they
 * put in a one-class temp jar appended to the bootstrap search path, which works everywhere but makes the JVM print
 * "Sharing is only supported for boot loader classes because bootstrap classpath has been appended" and give up
 * class data sharing for application classes. Either way this runs before anything resolves the bridge through the
 * application class path; afterwards parent-first delegation makes every loader see the bootstrap copy.
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
            bridge = defineInBootLoader(inst, bytes);
            if (bridge == null) {
                bridge = appendToBootSearchPath(inst, bytes);
            }
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

    private static Class<?> defineInBootLoader(Instrumentation inst, byte[] bytes) {
        try {
            ClassInjector.UsingUnsafe.Factory unsafe = ClassInjector.UsingUnsafe.Factory.resolve(inst);
            if (unsafe.isAvailable()) {
                return unsafe.make(null).injectRaw(Map.of(BRIDGE, bytes)).get(BRIDGE);
            }
        } catch (RuntimeException | LinkageError unavailable) {
            // fall back to the bootstrap search path
        }
        return null;
    }

    private static Class<?> bootstrapBridge() {
        try {
            return Class.forName(BRIDGE, false, null);
        } catch (ClassNotFoundException notYet) {
            return null;
        }
    }
}
