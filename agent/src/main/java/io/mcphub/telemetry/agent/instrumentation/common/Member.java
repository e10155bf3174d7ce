package io.mcphub.telemetry.agent.instrumentation.common;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;

/**
 * One member of objects of libraries the agent does not link against (the MCP SDK, servlet
 * containers): a no-arg method, a one-String-argument method, a field, or a JSON-ish property (a map
 * entry, else a record-style accessor). Resolved once per class into a {@link MethodHandle}; a member
 * a class does not have reads as null, so an unknown library version records nothing instead of
 * failing. Values the target computes are returned as they are (their own failures propagate only
 * through what the caller then does with them, e.g. {@code toString()}).
 */
public final class Member {

    private enum Kind { METHOD, METHOD_WITH_STRING, FIELD, PROPERTY }

    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
    private static final MethodType WITH_STRING = MethodType.methodType(Object.class, Object.class, String.class);
    /** Stands for "this class has no such member". */
    private static final MethodHandle MISSING = MethodHandles.constant(Object.class, null);

    private final String name;
    private final Kind kind;
    private final ClassValue<MethodHandle> handles = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            MethodHandle h = resolve(type);
            return h == null ? MISSING : h;
        }
    };

    private Member(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    /** {@code target.name()}. */
    public static Member method(String name) {
        return new Member(name, Kind.METHOD);
    }

    /** {@code target.name(String)}. */
    public static Member methodWithString(String name) {
        return new Member(name, Kind.METHOD_WITH_STRING);
    }

    /** The (possibly private) field {@code name} of the class or a superclass. */
    public static Member field(String name) {
        return new Member(name, Kind.FIELD);
    }

    /** {@code map.get(name)} for a map (the SDK leaves some params untyped), else {@code target.name()}; Optional unwrapped. */
    public static Member property(String name) {
        return new Member(name, Kind.PROPERTY);
    }

    public String name() {
        return name;
    }

    /** The member's value, or null when the target is null, lacks the member, or the call failed. */
    public Object get(Object target) {
        if (target == null) {
            return null;
        }
        if (kind == Kind.PROPERTY && target instanceof Map<?, ?> map) {
            return map.get(name);
        }
        MethodHandle h = handles.get(target.getClass());
        if (h == MISSING) {
            return null;
        }
        try {
            Object v = h.invokeExact(target);
            return kind == Kind.PROPERTY && v instanceof Optional<?> o ? o.orElse(null) : v;
        } catch (Throwable e) {
            return null;
        }
    }

    /** {@code target.name(argument)} for a {@link #methodWithString} member. */
    public Object get(Object target, String argument) {
        if (target == null) {
            return null;
        }
        MethodHandle h = handles.get(target.getClass());
        if (h == MISSING) {
            return null;
        }
        try {
            return (Object) h.invokeExact(target, argument);
        } catch (Throwable e) {
            return null;
        }
    }

    /** The value's text ({@code toString()}, whose failure propagates), or null. */
    public String text(Object target) {
        Object v = get(target);
        return v == null ? null : v.toString();
    }

    /** The text of {@code target.name(argument)}, or null. */
    public String text(Object target, String argument) {
        Object v = get(target, argument);
        return v == null ? null : v.toString();
    }

    /** True when objects of {@code type} have this member. */
    public boolean presentIn(Class<?> type) {
        return handles.get(type) != MISSING;
    }

    private MethodHandle resolve(Class<?> type) {
        try {
            return switch (kind) {
                case FIELD -> getter(findField(type));
                case METHOD, PROPERTY -> adapt(findMethod(type, name), GETTER);
                case METHOD_WITH_STRING -> adapt(findMethod(type, name, String.class), WITH_STRING);
            };
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private MethodHandle getter(Field f) throws IllegalAccessException {
        return f == null ? null : MethodHandles.lookup().unreflectGetter(f).asType(GETTER);
    }

    private static MethodHandle adapt(Method m, MethodType type) throws IllegalAccessException {
        if (m == null || m.getReturnType() == void.class || Modifier.isStatic(m.getModifiers())) {
            return null;
        }
        return MethodHandles.lookup().unreflect(m).asType(type);
    }

    private Field findField(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                return !Modifier.isStatic(f.getModifiers()) && f.trySetAccessible() ? f : null;
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        return null;
    }

    /**
     * A public method, taken from a public declaring type when possible (implementation classes of
     * servlet containers and SDK records in non-public holders are often not public, their interfaces are).
     */
    private static Method findMethod(Class<?> type, String name, Class<?>... params) {
        Method m;
        try {
            m = type.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            return null;
        }
        if (Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
            return m;
        }
        Method viaPublicType = fromPublicSupertype(type, name, params);
        if (viaPublicType != null) {
            return viaPublicType;
        }
        return m.trySetAccessible() ? m : null;
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
}
