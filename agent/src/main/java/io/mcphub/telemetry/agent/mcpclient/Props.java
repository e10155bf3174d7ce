package io.mcphub.telemetry.agent.mcpclient;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads SDK objects without compiling against the SDK: record-style accessors ({@code name()}) or map
 * entries for JSON-like values, and private fields by name. Lookups are cached per class; a member
 * that does not exist (another SDK version) reads as null, so an unknown shape records nothing.
 */
final class Props {

    private static final Object MISSING = new Object();

    private static final ClassValue<Map<String, Object>> ACCESSORS = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private static final ClassValue<Map<String, Object>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Props() {
    }

    /** {@code target.name()} or {@code target.get(name)} for a map; Optional values are unwrapped. */
    static Object get(Object target, String name) {
        if (target == null) {
            return null;
        }
        if (target instanceof Map<?, ?> map) {
            return map.get(name);
        }
        Object m = ACCESSORS.get(target.getClass()).computeIfAbsent(name, n -> accessor(target.getClass(), n));
        if (m == MISSING) {
            return null;
        }
        try {
            Object v = ((Method) m).invoke(target);
            return v instanceof Optional<?> o ? o.orElse(null) : v;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static String text(Object target, String name) {
        Object v = get(target, name);
        return v == null ? null : v.toString();
    }

    /** The value of a (possibly private) field declared by the class or a superclass. */
    static Object field(Object target, String name) {
        if (target == null) {
            return null;
        }
        Object f = FIELDS.get(target.getClass()).computeIfAbsent(name, n -> field(target.getClass(), n));
        if (f == MISSING) {
            return null;
        }
        try {
            return ((Field) f).get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object accessor(Class<?> type, String name) {
        try {
            Method m = type.getMethod(name);
            if (m.getReturnType() == void.class || Modifier.isStatic(m.getModifiers())) {
                return MISSING;
            }
            if (!Modifier.isPublic(m.getDeclaringClass().getModifiers()) && !m.trySetAccessible()) {
                return MISSING;
            }
            return m;
        } catch (NoSuchMethodException | RuntimeException e) {
            return MISSING;
        }
    }

    private static Object field(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                return !Modifier.isStatic(f.getModifiers()) && f.trySetAccessible() ? f : MISSING;
            } catch (NoSuchFieldException e) {
                // look further up
            } catch (RuntimeException e) {
                return MISSING;
            }
        }
        return MISSING;
    }
}
