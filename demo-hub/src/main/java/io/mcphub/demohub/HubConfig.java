package io.mcphub.demohub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mcphub.demohub.oauth.OAuthConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code mcpServers} configuration in the format MCP desktop clients use.
 *
 * <pre>
 * {"mcpServers": {
 *    "everything": {"command": "node", "args": ["..."], "env": {"K": "V"}, "cwd": "."},
 *    "java-tools": {"url": "http://127.0.0.1:9001/mcp", "transport": "streamable-http"},
 *    "secured": {"url": "...", "oauth": {"tokenUrl": "...", "clientId": "...", "clientSecret": "..."}}
 * }}
 * </pre>
 *
 * For stdio servers the child process runs in {@code cwd}, which defaults to the directory of the
 * config file (a relative {@code cwd} is resolved against that directory too). So relative paths in
 * {@code args} resolve against the config file's directory.
 */
public record HubConfig(Path source, List<ServerConfig> servers) {

    public enum Transport {
        STDIO("stdio"), STREAMABLE_HTTP("streamable-http"), SSE("sse");

        private final String id;

        Transport(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * One entry of {@code mcpServers}. Either command (stdio) or url (streamable-http / sse) is set.
     * {@code requestTimeout} ({@code "timeoutMs"}) is null when the hub's default applies.
     */
    public record ServerConfig(String name, Transport transport, String command, List<String> args,
            Map<String, String> env, Path workingDirectory, String url, Duration requestTimeout, OAuthConfig oauth) {

        public ServerConfig(String name, Transport transport, String command, List<String> args,
                Map<String, String> env, Path workingDirectory, String url) {
            this(name, transport, command, args, env, workingDirectory, url, null, null);
        }

        /** Human readable target: the command line or the URL. */
        public String target() {
            if (transport == Transport.STDIO) {
                return args.isEmpty() ? command : command + " " + String.join(" ", args);
            }
            return url;
        }
    }

    /** A configuration problem; the message is meant for the user. */
    public static class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }

        public ConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static HubConfig load(Path file) throws ConfigException {
        Path abs = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(abs);
        }
        catch (NoSuchFileException e) {
            throw new ConfigException("Config file not found: " + abs);
        }
        catch (IOException e) {
            throw new ConfigException("Cannot read config file " + abs + ": " + e.getMessage(), e);
        }
        Path dir = abs.getParent() != null ? abs.getParent() : Path.of(".").toAbsolutePath();
        return parse(text, dir, abs);
    }

    static HubConfig parse(String json, Path baseDir, Path source) throws ConfigException {
        String where = source != null ? source.toString() : "<config>";
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(json);
        }
        catch (JacksonException e) {
            throw new ConfigException("Invalid JSON in " + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("Invalid config " + where + ": top level must be a JSON object");
        }
        JsonNode servers = root.get("mcpServers");
        if (servers == null || !servers.isObject()) {
            throw new ConfigException("Invalid config " + where + ": missing object \"mcpServers\"");
        }
        List<ServerConfig> result = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : servers.properties()) {
            result.add(parseServer(e.getKey(), e.getValue(), baseDir, where));
        }
        return new HubConfig(source, Collections.unmodifiableList(result));
    }

    private static ServerConfig parseServer(String name, JsonNode node, Path baseDir, String where)
            throws ConfigException {
        String prefix = "Invalid config " + where + ": server \"" + name + "\"";
        if (name.isBlank() || name.contains("__") || name.contains("/")) {
            throw new ConfigException(prefix + ": name must be non-empty and must not contain \"__\" or \"/\"");
        }
        if (!node.isObject()) {
            throw new ConfigException(prefix + " must be a JSON object");
        }
        String command = text(node, "command", prefix);
        String url = text(node, "url", prefix);
        String transportText = text(node, "transport", prefix);
        Duration timeout = timeout(node, prefix);
        if (command != null && url != null) {
            throw new ConfigException(prefix + " has both \"command\" and \"url\"; use one of them");
        }
        if (command == null && url == null) {
            throw new ConfigException(prefix + " needs either \"command\" (stdio) or \"url\" (streamable-http / sse)");
        }
        if (command != null) {
            if (command.isBlank()) {
                throw new ConfigException(prefix + ": \"command\" must not be empty");
            }
            if (transportText != null && !transportText.equals("stdio")) {
                throw new ConfigException(prefix + ": \"transport\" must be \"stdio\" (or absent) with \"command\"");
            }
            List<String> args = new ArrayList<>();
            JsonNode argsNode = node.get("args");
            if (argsNode != null && !argsNode.isNull()) {
                if (!argsNode.isArray()) {
                    throw new ConfigException(prefix + ": \"args\" must be an array of strings");
                }
                for (JsonNode a : argsNode) {
                    if (!a.isString() && !a.isNumber() && !a.isBoolean()) {
                        throw new ConfigException(prefix + ": \"args\" must be an array of strings");
                    }
                    args.add(a.asString());
                }
            }
            Map<String, String> env = new LinkedHashMap<>();
            JsonNode envNode = node.get("env");
            if (envNode != null && !envNode.isNull()) {
                if (!envNode.isObject()) {
                    throw new ConfigException(prefix + ": \"env\" must be an object of strings");
                }
                for (Map.Entry<String, JsonNode> e : envNode.properties()) {
                    if (e.getValue().isContainer() || e.getValue().isNull()) {
                        throw new ConfigException(prefix + ": \"env\"." + e.getKey() + " must be a string");
                    }
                    env.put(e.getKey(), e.getValue().asString());
                }
            }
            String cwd = text(node, "cwd", prefix);
            Path workDir = cwd == null ? baseDir : baseDir.resolve(cwd).normalize();
            return new ServerConfig(name, Transport.STDIO, command, List.copyOf(args),
                    Collections.unmodifiableMap(env), workDir, null, timeout, null);
        }
        Transport transport;
        if (transportText == null || transportText.equals("streamable-http") || transportText.equals("http")
                || transportText.equals("streamableHttp")) {
            transport = Transport.STREAMABLE_HTTP;
        }
        else if (transportText.equals("sse")) {
            transport = Transport.SSE;
        }
        else {
            throw new ConfigException(prefix + ": unknown \"transport\" \"" + transportText
                    + "\" (expected \"streamable-http\" or \"sse\")");
        }
        URI uri;
        try {
            uri = URI.create(url);
        }
        catch (IllegalArgumentException e) {
            throw new ConfigException(prefix + ": invalid \"url\": " + url);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getRawAuthority() == null) {
            throw new ConfigException(prefix + ": \"url\" must be an absolute http(s) URL, got: " + url);
        }
        return new ServerConfig(name, transport, null, List.of(), Map.of(), null, url, timeout,
                OAuthConfig.parse(node.get("oauth"), prefix));
    }

    private static Duration timeout(JsonNode node, String prefix) throws ConfigException {
        JsonNode v = node.get("timeoutMs");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() <= 0) {
            throw new ConfigException(prefix + ": \"timeoutMs\" must be a positive integer (milliseconds)");
        }
        return Duration.ofMillis(v.asLong());
    }

    private static String text(JsonNode node, String field, String prefix) throws ConfigException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new ConfigException(prefix + ": \"" + field + "\" must be a string");
        }
        return v.asString();
    }
}
