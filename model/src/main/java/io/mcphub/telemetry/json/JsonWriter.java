package io.mcphub.telemetry.json;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes plain Java values (maps, lists, arrays, records, strings, numbers, booleans) as JSON that
 * PostgreSQL's {@code jsonb} always accepts: NUL becomes U+2400 and lone surrogates U+FFFD (jsonb
 * rejects both), non-finite numbers become null, nesting is cut at a fixed depth, values under keys
 * that look secret are replaced by {@code "[REDACTED]"}, and output beyond the cap is replaced by a
 * small valid object that says so.
 */
public final class JsonWriter {

    public static final String REDACTED = "[REDACTED]";
    private static final int MAX_DEPTH = 32;

    private final List<String> redactKeys;
    private final int maxChars;

    /** @param redactKeys lower-case substrings of keys whose values are hidden */
    public JsonWriter(List<String> redactKeys, int maxChars) {
        this.redactKeys = List.copyOf(redactKeys);
        this.maxChars = maxChars;
    }

    /** JSON text of {@code value}, or null for a null value. */
    public String write(Object value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        try {
            append(out, value, 0);
        } catch (CapReached e) {
            return truncated(out);
        }
        return out.toString();
    }

    public boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String secret : redactKeys) {
            if (k.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    private void append(StringBuilder out, Object value, int depth) {
        if (out.length() > maxChars) {
            throw CapReached.INSTANCE;
        }
        if (depth > MAX_DEPTH) {
            string(out, "[nested deeper than " + MAX_DEPTH + " levels]");
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof RawJson raw) {
            out.append(raw.json());
        } else if (value instanceof CharSequence s) {
            string(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (value instanceof Number n) {
            out.append(n.toString());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                first = member(out, String.valueOf(e.getKey()), e.getValue(), depth, first);
            }
            out.append('}');
        } else if (value instanceof Iterable<?> items) {
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                append(out, item, depth + 1);
            }
            out.append(']');
        } else if (value.getClass().isArray()) {
            out.append('[');
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, Array.get(value, i), depth + 1);
            }
            out.append(']');
        } else if (value instanceof Optional<?> opt) {
            append(out, opt.orElse(null), depth);
        } else if (value instanceof Enum<?> e) {
            string(out, e.name());
        } else if (value.getClass().isRecord()) {
            record(out, value, depth);
        } else {
            string(out, value.toString());
        }
    }

    private boolean member(StringBuilder out, String key, Object value, int depth, boolean first) {
        if (!first) {
            out.append(',');
        }
        string(out, key);
        out.append(':');
        if (value != null && isSecretKey(key)) {
            string(out, REDACTED);
        } else {
            append(out, value, depth + 1);
        }
        return false;
    }

    private void record(StringBuilder out, Object value, int depth) {
        out.append('{');
        boolean first = true;
        for (RecordComponent component : value.getClass().getRecordComponents()) {
            Object v;
            try {
                v = component.getAccessor().invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue; // an inaccessible component is left out rather than failing the whole payload
            }
            if (v != null) {
                first = member(out, component.getName(), v, depth, first);
            }
        }
        out.append('}');
    }

    private void string(StringBuilder out, CharSequence s) {
        if (s.length() > maxChars) {
            escape(out, s, maxChars, Integer.MAX_VALUE);
            throw CapReached.INSTANCE;
        }
        escape(out, s, s.length(), Integer.MAX_VALUE);
    }

    /** Escapes up to {@code limit} chars of {@code s}, stopping early once {@code out} reaches {@code maxOut}. */
    private static void escape(StringBuilder out, CharSequence s, int limit, int maxOut) {
        out.append('"');
        for (int i = 0, n = limit; i < n && out.length() < maxOut; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 0 -> out.append('\u2400');
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private String truncated(StringBuilder partial) {
        StringBuilder out = new StringBuilder("{\"_truncated\":true,\"_preview\":");
        // 8 = the longest escape (6) plus the closing quote and brace, so the cap holds exactly
        escape(out, partial, partial.length(), Math.max(out.length(), maxChars - 8));
        return out.append('}').toString();
    }

    /** Already valid JSON text (e.g. a {@code jsonb} column read back), appended as it is. */
    public interface RawJson {
        String json();
    }

    /** Thrown to unwind as soon as the cap is passed, so huge values cost no more than the cap. */
    private static final class CapReached extends RuntimeException {
        static final CapReached INSTANCE = new CapReached();

        private CapReached() {
            super(null, null, false, false);
        }
    }
}
