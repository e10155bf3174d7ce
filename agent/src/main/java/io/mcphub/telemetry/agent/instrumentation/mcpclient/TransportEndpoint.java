package io.mcphub.telemetry.agent.instrumentation.mcpclient;

import io.mcphub.telemetry.agent.instrumentation.common.McpSdk;
import io.mcphub.telemetry.model.Transport;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a client transport connects to: the command line of a stdio server (never its environment) or
 * the URL of an HTTP one (without user info, query values or fragment, which may carry secrets).
 */
record TransportEndpoint(Transport transport, String endpoint) {

    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i)^-{0,2}[\\w.-]*(token|secret|password|passwd|pwd|api[-_]?key|apikey|auth|credential|private[-_]?key)[\\w.-]*$");
    static final String REDACTED = "[REDACTED]";

    static TransportEndpoint of(Object transport) {
        Object params = McpSdk.STDIO_PARAMS.get(transport);
        Object command = McpSdk.STDIO_COMMAND.get(params);
        if (command != null) {
            Object args = McpSdk.STDIO_ARGS.get(params);
            return new TransportEndpoint(Transport.STDIO, commandLine(command.toString(),
                    args instanceof List<?> list ? list : List.of()));
        }
        String className = transport.getClass().getName();
        Object base = McpSdk.HTTP_BASE_URI.get(transport);
        Object sseEndpoint = McpSdk.HTTP_SSE_ENDPOINT.get(transport);
        Object endpoint = McpSdk.HTTP_ENDPOINT.get(transport);
        if (sseEndpoint != null || className.contains("Sse")) {
            return new TransportEndpoint(Transport.SSE, url(base, sseEndpoint != null ? sseEndpoint : endpoint));
        }
        if (base != null || className.contains("Streamable")) {
            return new TransportEndpoint(Transport.STREAMABLE_HTTP, url(base, endpoint));
        }
        if (className.contains("Stdio")) {
            return new TransportEndpoint(Transport.STDIO, null);
        }
        return new TransportEndpoint(Transport.UNKNOWN, null);
    }

    /** The command and its arguments; the value after (or in) an option that names a secret is hidden. */
    /** Commands that run the server named by their first argument that is not an option. */
    private static final Set<String> LAUNCHERS = Set.of("npx", "npm", "pnpm", "bunx", "bun", "yarn", "uvx", "uv",
            "pipx", "node", "deno", "python", "python3", "java", "docker", "podman", "sh", "bash", "cmd", "cmd.exe");
    private static final Set<String> SUBCOMMANDS = Set.of("run", "exec", "dlx", "x", "tool");

    /**
     * A name for a server known by nothing but its endpoint: an HTTP server's {@code host:port}; a stdio
     * server's command, or for a launcher ({@code npx}, {@code uvx}, {@code node}, {@code python},
     * {@code java}, {@code docker}, ...) its first argument that is neither an option nor a subcommand,
     * as its last path segment without an {@code @version}.
     */
    String shortName() {
        if (endpoint == null || endpoint.isBlank()) {
            return transport.sqlName() + "-server";
        }
        if (transport != Transport.STDIO) {
            try {
                URI uri = URI.create(endpoint);
                if (uri.getHost() != null) {
                    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
                }
            } catch (IllegalArgumentException unparsable) {
                // fall through: the endpoint as it is
            }
            return endpoint;
        }
        String[] words = endpoint.strip().split("\\s+");
        String command = lastSegment(words[0]);
        if (!LAUNCHERS.contains(command)) {
            return command;
        }
        for (int i = 1; i < words.length; i++) {
            String w = words[i];
            if (!w.startsWith("-") && !w.equals(REDACTED) && !SUBCOMMANDS.contains(w)) {
                String segment = lastSegment(w);
                int version = segment.indexOf('@', 1);
                return version > 0 ? segment.substring(0, version) : segment;
            }
        }
        return command;
    }

    private static String lastSegment(String path) {
        String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        int slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
        return slash < 0 || slash == trimmed.length() - 1 ? trimmed : trimmed.substring(slash + 1);
    }

    static String commandLine(String command, List<?> args) {
        List<String> parts = new ArrayList<>(args.size() + 1);
        parts.add(command);
        boolean hideNext = false;
        for (Object a : args) {
            String arg = String.valueOf(a);
            int eq = arg.indexOf('=');
            if (hideNext) {
                parts.add(REDACTED);
                hideNext = false;
            } else if (eq > 0 && SECRET_OPTION.matcher(arg.substring(0, eq)).matches()) {
                parts.add(arg.substring(0, eq + 1) + REDACTED);
            } else {
                parts.add(arg);
                hideNext = arg.startsWith("-") && SECRET_OPTION.matcher(arg).matches();
            }
        }
        return String.join(" ", parts);
    }

    static String url(Object base, Object path) {
        if (base == null && path == null) {
            return null;
        }
        try {
            URI uri = base == null ? URI.create(path.toString())
                    : path == null ? URI.create(base.toString()) : URI.create(base.toString()).resolve(path.toString());
            return sanitize(uri);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String sanitize(URI uri) {
        StringBuilder sb = new StringBuilder();
        if (uri.getScheme() != null) {
            sb.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            sb.append(uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost());
            if (uri.getPort() >= 0) {
                sb.append(':').append(uri.getPort());
            }
        }
        if (uri.getRawPath() != null) {
            sb.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            sb.append('?');
            String[] pairs = uri.getRawQuery().split("&");
            for (int i = 0; i < pairs.length; i++) {
                int eq = pairs[i].indexOf('=');
                sb.append(i > 0 ? "&" : "").append(eq < 0 ? pairs[i] : pairs[i].substring(0, eq + 1) + REDACTED);
            }
        }
        return sb.toString();
    }
}
