package io.mcphub.telemetry;

/** A resource from a server's resources/list. */
public record ResourceInfo(String uri, String name, String description, String mimeType) {
}
