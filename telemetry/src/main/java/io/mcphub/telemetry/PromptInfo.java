package io.mcphub.telemetry;

/** A prompt from a server's prompts/list; {@code arguments} is any JSON-like value. */
public record PromptInfo(String name, String description, Object arguments) {
}
