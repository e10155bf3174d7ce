package io.mcphub.telemetry.agent.mcpserver;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads objects of libraries the agent does not link against (the MCP SDK, servlet containers): no-arg
 * methods and fields by name, looked up once per class. A missing member reads as null, so an unknown
 * library version records nothing instead of failing.
 */
public final class Reflect {

    private static final ClassValue<Map<String, Optional<Method>>> METHODS = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Method>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };
    private static final ClassValue<Map<String, Optional<Field>>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Field>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Reflect() {
    }

    /** {@code target.name()}, or null when there is no such method or it failed. */
    public static Object call(Object target, String name) {
        if (target == null) {
            return null;
        }
        Method m = METHODS.get(target.getClass()).computeIfAbsent(name, n -> Optional.ofNullable(
                findMethod(target.getClass(), n))).orElse(null);
        if (m == null) {
            return null;
        }
        try {
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** {@code target.name(argument)} for a method taking one String, or null. */
    public static Object call(Object target, String name, String argument) {
        if (target == null) {
            return null;
        }
        Method m = METHODS.get(target.getClass()).computeIfAbsent(name + "(String)", n -> Optional.ofNullable(
                findMethod(target.getClass(), name, String.class))).orElse(null);
        if (m == null) {
            return null;
        }
        try {
            return m.invoke(target, argument);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    public static String callString(Object target, String name) {
        Object v = call(target, name);
        return v == null ? null : v.toString();
    }

    /** The value of field {@code name} declared by the class of {@code target} or a superclass, or null. */
    public static Object field(Object target, String name) {
        if (target == null) {
            return null;
        }
        Field f = FIELDS.get(target.getClass()).computeIfAbsent(name, n -> Optional.ofNullable(
                findField(target.getClass(), n))).orElse(null);
        if (f == null) {
            return null;
        }
        try {
            return f.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** True when {@code type} or one of its supertypes is named {@code name}. */
    public static boolean isA(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (isA(i, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A public no-arg method, taken from a public declaring type when possible (implementation classes
     * of servlet containers are often not public, their interfaces are).
     */
    private static Method findMethod(Class<?> type, String name, Class<?>... params) {
        Method m;
        try {
            m = type.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
        if (Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
            return m;
        }
        Method viaPublicType = fromPublicSupertype(type, name, params);
        if (viaPublicType != null) {
            return viaPublicType;
        }
        try {
            m.setAccessible(true);
            return m;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Method fromPublicSupertype(Class<?> type, String name, Class<?>... params) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c != type && Modifier.isPublic(c.getModifiers())) {
                try {
                    return c.getMethod(name, params);
                } catch (NoSuchMethodException ignored) {
                    // keep looking
                }
            }
            for (Class<?> i : c.getInterfaces()) {
                if (Modifier.isPublic(i.getModifiers())) {
                    try {
                        return i.getMethod(name, params);
                    } catch (NoSuchMethodException ignored) {
                        // keep looking
                    }
                }
                Method deeper = fromPublicSupertype(i, name, params);
                if (deeper != null) {
                    return deeper;
                }
            }
        }
        return null;
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException ignored) {
                // superclass
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }
        return null;
    }
}
