package io.mcphub.telemetry.json;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Optional;

/**
 * The UTF-8 size of the compact JSON a value would be written as (as Jackson writes it on the wire:
 * no whitespace, control characters escaped, other characters as raw UTF-8, null record components
 * left out), counted without building the text so a megabyte argument costs no allocation.
 */
public final class JsonSize {

    private static final int MAX_DEPTH = 64;

    private JsonSize() {
    }

    /** Byte count, or -1 for a null value (absent, not JSON {@code null}). */
    public static long utf8Bytes(Object value) {
        return value == null ? -1 : count(value, 0);
    }

    private static long count(Object value, int depth) {
        if (value == null) {
            return 4;
        }
        if (depth > MAX_DEPTH) {
            return 4;
        }
        if (value instanceof CharSequence s) {
            return string(s);
        }
        if (value instanceof Boolean b) {
            return b ? 4 : 5;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? Double.toString(d).length() : 4;
        }
        if (value instanceof Number n) {
            return n.toString().length();
        }
        if (value instanceof Map<?, ?> map) {
            long n = 2;
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                n += (first ? 0 : 1) + string(String.valueOf(e.getKey())) + 1 + count(e.getValue(), depth + 1);
                first = false;
            }
            return n;
        }
        if (value instanceof Iterable<?> items) {
            long n = 2;
            boolean first = true;
            for (Object item : items) {
                n += (first ? 0 : 1) + count(item, depth + 1);
                first = false;
            }
            return n;
        }
        if (value.getClass().isArray()) {
            int len = Array.getLength(value);
            long n = 2 + Math.max(0, len - 1);
            for (int i = 0; i < len; i++) {
                n += count(Array.get(value, i), depth + 1);
            }
            return n;
        }
        if (value instanceof Optional<?> opt) {
            return count(opt.orElse(null), depth);
        }
        if (value instanceof Enum<?> e) {
            return string(e.name());
        }
        if (value.getClass().isRecord()) {
            return record(value, depth);
        }
        return string(value.toString());
    }

    private static long record(Object value, int depth) {
        long n = 2;
        boolean first = true;
        for (RecordComponent component : value.getClass().getRecordComponents()) {
            Object v;
            try {
                v = component.getAccessor().invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (v == null || (v instanceof Optional<?> o && o.isEmpty())) {
                continue;
            }
            n += (first ? 0 : 1) + string(component.getName()) + 1 + count(v, depth + 1);
            first = false;
        }
        return n;
    }

    /** A quoted, escaped JSON string's UTF-8 size. */
    static long string(CharSequence s) {
        long n = 2;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x20) {
                n += switch (c) {
                    case '\n', '\r', '\t', '\b', '\f' -> 2;
                    default -> 6;
                };
            } else if (c == '"' || c == '\\') {
                n += 2;
            } else if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
