package io.mcphub.telemetry.api;

import io.mcphub.telemetry.json.JsonWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Responses are plain maps and lists written by the project's JsonWriter (no redaction, no cap). */
public final class Json {
    private static final JsonWriter WRITER = new JsonWriter(List.of(), Integer.MAX_VALUE - 64);

    private Json() {
    }

    public static String write(Object value) {
        String s = WRITER.write(value);
        return s == null ? "null" : s;
    }

    /** An insertion-ordered map from alternating keys and values, nulls kept (as JSON null). */
    public static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** A raw JSON text (e.g. a jsonb column) embedded as is. */
    public record Raw(String json) implements JsonWriter.RawJson {
        /** Null stays null rather than becoming a JSON text. */
        public static Raw of(String json) {
            return json == null ? null : new Raw(json);
        }
    }
}
