package io.mcphub.telemetry.agent.embedded;

import io.mcphub.telemetry.config.ConfigOption;
import io.mcphub.telemetry.config.TelemetryConfig;
import io.mcphub.telemetry.sink.TelemetryStartupException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The jar holding the embedded PostgreSQL's server builds, kept out of the agent jar to keep it small:
 * {@value #BUNDLE} (Linux x86-64, Linux arm64, macOS arm64) or a one-platform
 * {@code mcp-telemetry-embedded-postgres-<platform>.jar}. It is the file {@code embedded.binaries} names
 * (or the one in the directory it names), else the one beside the agent jar; never a class path
 * resource, which would let a hub with zonky's binaries of its own decide what the agent runs.
 */
public final class EmbeddedBinaries {

    public static final String BUNDLE = "mcp-telemetry-embedded-postgres.jar";
    static final String AGENT_JAR = "mcp-telemetry-agent.jar";

    private final Path jar;
    private final String entry;

    private EmbeddedBinaries(Path jar, String entry) {
        this.jar = jar;
        this.entry = entry;
    }

    /** The jar file. */
    public Path jar() {
        return jar;
    }

    /** The archive of this platform's build inside it ({@code postgres-linux-x86_64.txz}, ...). */
    String entry() {
        return entry;
    }

    /** The binaries for this machine, as configured; throws naming the file expected and where. */
    public static EmbeddedBinaries find(TelemetryConfig config) {
        return find(config.embeddedBinaries(), config.origin(ConfigOption.EMBEDDED_BINARIES), agentLocation(),
                Platform.current());
    }

    static EmbeddedBinaries find(Path configured, String origin, Path agentLocation, Platform platform) {
        Path jar = configured != null ? configured(configured, origin, platform) : besideTheAgent(agentLocation, platform);
        return new EmbeddedBinaries(jar, entryFor(jar, platform));
    }

    private static Path configured(Path configured, String origin, Platform platform) {
        Path path = configured.toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            Path found = inDirectory(path, platform);
            if (found == null) {
                throw missing("embedded PostgreSQL binaries not found: " + path + " (" + setBy(origin) + ") holds no "
                        + expected(platform) + "; put it there or point " + settingNames() + " at it");
            }
            return found;
        }
        if (!Files.isRegularFile(path)) {
            throw missing("embedded PostgreSQL binaries not found: " + path + " (" + setBy(origin) + ") does not exist; "
                    + "point " + settingNames() + " at " + expected(platform) + " or the directory holding it");
        }
        return path;
    }

    private static Path besideTheAgent(Path agentLocation, Platform platform) {
        if (agentLocation == null || !Files.isRegularFile(agentLocation)) {
            throw missing("embedded PostgreSQL binaries not found: the agent does not run from its jar (its classes are in "
                    + agentLocation + "), so nothing is beside it; set " + settingNames() + " to the path of "
                    + expected(platform));
        }
        Path dir = agentLocation.toAbsolutePath().normalize().getParent();
        Path found = inDirectory(dir, platform);
        if (found == null) {
            throw missing("embedded PostgreSQL binaries not found: put " + expected(platform) + " beside "
                    + agentLocation.getFileName() + " (" + dir + ") or set " + settingNames() + " to its path");
        }
        return found;
    }

    /** The bundle, else this platform's own jar; null when the directory has neither. */
    private static Path inDirectory(Path dir, Platform platform) {
        for (String name : jarNames(platform)) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static List<String> jarNames(Platform platform) {
        List<String> names = new ArrayList<>(List.of(BUNDLE));
        if (platform.artifactSuffix() != null) {
            names.add("mcp-telemetry-embedded-postgres-" + platform.artifactSuffix() + ".jar");
        }
        return names;
    }

    private static String expected(Platform platform) {
        List<String> names = jarNames(platform);
        return names.size() == 1 ? names.get(0) : names.get(0) + " (or " + names.get(1) + ")";
    }

    /** The first of this platform's archives the jar has; throws naming the platform and what the jar has. */
    private static String entryFor(Path jar, Platform platform) {
        List<String> held = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (String name : platform.archives()) {
                if (file.getJarEntry(name) != null) {
                    return name;
                }
            }
            for (var e : Collections.list(file.entries())) {
                if (e.getName().startsWith("postgres-") && e.getName().endsWith(".txz")) {
                    held.add(e.getName());
                }
            }
        } catch (IOException e) {
            throw missing("embedded PostgreSQL binaries unreadable: " + jar + " is not a readable jar (" + e.getMessage()
                    + "); replace it with " + BUNDLE);
        }
        throw missing("embedded PostgreSQL binaries for this machine (" + platform.description() + ") are not in " + jar
                + ": looked for " + platform.archives() + ", it holds " + (held.isEmpty() ? "none" : held)
                + "; " + BUNDLE + " has Linux x86-64, Linux arm64 and macOS arm64, or configure "
                + ConfigOption.POSTGRES_HOST.env() + " to use a PostgreSQL server of your own");
    }

    private static TelemetryStartupException missing(String message) {
        boolean namesServer = message.contains(ConfigOption.POSTGRES_HOST.env());
        return new TelemetryStartupException(namesServer ? message
                : message + ", or configure " + ConfigOption.POSTGRES_HOST.env() + " to use a PostgreSQL server of your own");
    }

    private static String settingNames() {
        return ConfigOption.EMBEDDED_BINARIES.key() + " / " + ConfigOption.EMBEDDED_BINARIES.env();
    }

    private static String setBy(String origin) {
        return "set by " + (origin == null ? "setting " + ConfigOption.EMBEDDED_BINARIES.key() : origin);
    }

    /** Where the agent's classes are: its jar, or a classes directory in the module's own tests. */
    static Path agentLocation() {
        CodeSource source = EmbeddedBinaries.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
