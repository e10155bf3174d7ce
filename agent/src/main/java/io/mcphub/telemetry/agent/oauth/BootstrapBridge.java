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

/**
 * Makes {@code OAuthBridge} loadable by the bootstrap loader (and so by the platform loader of {@code java.net.http}):
 * its class bytes are copied from the agent jar into a one-class jar in a temp file, appended to the bootstrap
 * search path, and {@code java.net.http} is made to read the bootstrap loader's unnamed module, which a named module
 * does not do by default. This must run before anything resolves the bridge through the application class path;
 * afterwards parent-first delegation makes every loader see the bootstrap copy.
 */
final class BootstrapBridge {

    static final String BRIDGE = "io.mcphub.telemetry.agent.bootstrap.OAuthBridge";

    private BootstrapBridge() {
    }

    /** The bootstrap copy of the bridge class. */
    static Class<?> install(Instrumentation inst) throws IOException, ClassNotFoundException {
        Class<?> bridge = bootstrapBridge();
        if (bridge == null) {
            String resource = BRIDGE.replace('.', '/') + ".class";
            byte[] bytes;
            try (InputStream in = BootstrapBridge.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(resource + " is missing from the agent jar");
                }
                bytes = in.readAllBytes();
            }
            Path jar = Files.createTempFile("mcp-telemetry-bootstrap-", ".jar");
            jar.toFile().deleteOnExit();
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
                out.putNextEntry(new JarEntry(resource));
                out.write(bytes);
                out.closeEntry();
            }
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
            bridge = Class.forName(BRIDGE, true, null);
        }
        Module http = HttpClient.class.getModule();
        if (!http.canRead(bridge.getModule())) {
            inst.redefineModule(http, Set.of(bridge.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        }
        return bridge;
    }

    private static Class<?> bootstrapBridge() {
        try {
            return Class.forName(BRIDGE, false, null);
        } catch (ClassNotFoundException notYet) {
            return null;
        }
    }
}
