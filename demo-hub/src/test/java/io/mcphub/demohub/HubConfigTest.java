package io.mcphub.demohub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigTest {

    @TempDir
    Path dir;

    @Test
    void parsesStdioAndRemoteServers() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"mcpServers\": {"
                + "\"everything\": {\"command\": \"node\", \"args\": [\"x.js\", \"stdio\"], \"env\": {\"A\": \"1\"}},"
                + "\"java-tools\": {\"url\": \"http://127.0.0.1:9001/mcp\"},"
                + "\"legacy\": {\"url\": \"http://127.0.0.1:3001/sse\", \"transport\": \"sse\"},"
                + "\"sub\": {\"command\": \"node\", \"cwd\": \"sub/dir\"}}}");
        HubConfig config = HubConfig.load(file);
        assertEquals(4, config.servers().size());

        HubConfig.ServerConfig everything = config.servers().get(0);
        assertEquals("everything", everything.name());
        assertEquals(HubConfig.Transport.STDIO, everything.transport());
        assertEquals(List.of("x.js", "stdio"), everything.args());
        assertEquals(Map.of("A", "1"), everything.env());
        assertEquals(dir.toAbsolutePath().normalize(), everything.workingDirectory());
        assertNull(everything.url());

        HubConfig.ServerConfig javaTools = config.servers().get(1);
        assertEquals(HubConfig.Transport.STREAMABLE_HTTP, javaTools.transport());
        assertEquals("http://127.0.0.1:9001/mcp", javaTools.target());

        assertEquals(HubConfig.Transport.SSE, config.servers().get(2).transport());
        assertEquals(dir.toAbsolutePath().resolve("sub/dir").normalize(), config.servers().get(3).workingDirectory());
    }

    @Test
    void optionalRequestTimeoutPerServer() throws Exception {
        Path file = dir.resolve("t.json");
        Files.writeString(file, "{\"mcpServers\": {\"a\": {\"url\": \"http://h/mcp\", \"timeoutMs\": 1500},"
                + "\"b\": {\"command\": \"node\"}}}");
        HubConfig config = HubConfig.load(file);
        assertEquals(java.time.Duration.ofMillis(1500), config.servers().get(0).requestTimeout());
        assertNull(config.servers().get(1).requestTimeout());
        Files.writeString(file, "{\"mcpServers\": {\"a\": {\"url\": \"http://h/mcp\", \"timeoutMs\": -1}}}");
        HubConfig.ConfigException e = assertThrows(HubConfig.ConfigException.class, () -> HubConfig.load(file));
        assertTrue(e.getMessage().contains("\"timeoutMs\" must be a positive integer"), e.getMessage());
    }

    @Test
    void missingFile() {
        HubConfig.ConfigException e = assertThrows(HubConfig.ConfigException.class,
                () -> HubConfig.load(dir.resolve("nope.json")));
        assertTrue(e.getMessage().startsWith("Config file not found: "), e.getMessage());
    }

    @Test
    void badJson() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"mcpServers\": {\"a\": ");
        HubConfig.ConfigException e = assertThrows(HubConfig.ConfigException.class, () -> HubConfig.load(file));
        assertTrue(e.getMessage().startsWith("Invalid JSON in "), e.getMessage());
    }

    @Test
    void neitherCommandNorUrl() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"mcpServers\": {\"x\": {\"args\": [\"a\"]}}}");
        HubConfig.ConfigException e = assertThrows(HubConfig.ConfigException.class, () -> HubConfig.load(file));
        assertTrue(e.getMessage().contains("server \"x\" needs either \"command\" (stdio) or \"url\""), e.getMessage());
    }

    @Test
    void otherProblems() throws Exception {
        for (String bad : List.of("[]", "{}", "{\"mcpServers\": []}",
                "{\"mcpServers\": {\"x\": {\"command\": \"a\", \"url\": \"http://h/mcp\"}}}",
                "{\"mcpServers\": {\"x\": {\"url\": \"ftp://h/mcp\"}}}",
                "{\"mcpServers\": {\"x\": {\"url\": \"http://h/mcp\", \"transport\": \"websocket\"}}}",
                "{\"mcpServers\": {\"x\": {\"command\": \"a\", \"args\": \"b\"}}}",
                "{\"mcpServers\": {\"a__b\": {\"command\": \"a\"}}}")) {
            Path file = dir.resolve("c.json");
            Files.writeString(file, bad);
            HubConfig.ConfigException e = assertThrows(HubConfig.ConfigException.class, () -> HubConfig.load(file),
                    bad);
            assertTrue(e.getMessage().startsWith("Invalid config "), e.getMessage());
        }
    }

    @Test
    void shippedSampleConfigResolvesAgainstItsDirectory() throws Exception {
        HubConfig config = HubConfig.load(Path.of("config/demo-servers.json"));
        HubConfig.ServerConfig everything = config.servers().stream()
            .filter(s -> s.name().equals("everything"))
            .findFirst()
            .orElseThrow();
        Path script = everything.workingDirectory().resolve(everything.args().get(0)).normalize();
        assertTrue(Files.isRegularFile(script), script.toString());
    }

    @Test
    void splitUrl() {
        assertEquals(List.of("http://127.0.0.1:9001", "/mcp"),
                List.of(DownstreamServer.splitUrl("http://127.0.0.1:9001/mcp")));
        assertEquals(List.of("https://h", "/a/sse?x=1"), List.of(DownstreamServer.splitUrl("https://h/a/sse?x=1")));
        assertEquals(List.of("http://h:1", "/"), List.of(DownstreamServer.splitUrl("http://h:1")));
    }
}
