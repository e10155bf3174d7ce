package io.mcphub.telemetry.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonSizeTest {

    private static final JsonWriter WRITER = new JsonWriter(List.of(), Integer.MAX_VALUE - 16);

    record Content(String type, String text, Integer priority) {
    }

    enum Kind { TEXT }

    @Test
    void countsTheBytesOfTheCompactJsonWithoutWritingIt() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("text", "héllo ☃ 😀 \"quoted\" back\\slash\nnew\ttab\u0001");
        args.put("n", 42);
        args.put("x", 1.5);
        args.put("flag", true);
        args.put("none", null);
        args.put("list", List.of(1, "two", List.of(), Map.of()));
        args.put("array", new int[] {1, 2, 3});
        args.put("record", new Content("text", "hi", null));
        args.put("optional", Optional.of("o"));
        args.put("kind", Kind.TEXT);
        assertEquals(utf8(WRITER.write(args)), JsonSize.utf8Bytes(args));
    }

    @Test
    void aMegabyteArgumentIsCountedExactly() {
        char[] chars = new char[1_000_000];
        Arrays.fill(chars, 'x');
        Map<String, Object> args = Map.of("text", new String(chars));
        assertEquals(1_000_011, JsonSize.utf8Bytes(args));
    }

    @Test
    void scalarsAndAbsentValues() {
        assertEquals(-1, JsonSize.utf8Bytes(null));
        assertEquals(2, JsonSize.utf8Bytes(Map.of()));
        assertEquals(4, JsonSize.utf8Bytes(Double.NaN));
        assertEquals(2 + 4, JsonSize.utf8Bytes("😀"));
        assertEquals(2 + 3, JsonSize.utf8Bytes("\uD800")); // a lone surrogate is written as U+FFFD-sized
        assertEquals(utf8(WRITER.write(List.of(-7L, 3.25f, false))), JsonSize.utf8Bytes(List.of(-7L, 3.25f, false)));
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
