package io.mcphub.telemetry;

/** A tool from a server's tools/list; {@code inputSchema} is any JSON-like value. */
public record ToolInfo(String name, String title, String description, Object inputSchema) {

    public static ToolInfo named(String name, String description) {
        return new ToolInfo(name, null, description, null);
    }
}
