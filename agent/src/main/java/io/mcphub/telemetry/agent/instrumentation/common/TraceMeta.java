package io.mcphub.telemetry.agent.instrumentation.common;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * W3C trace context in a JSON-RPC request's {@code params._meta} ({@code traceparent}, {@code tracestate}),
 * as the MCP semantic conventions of OpenTelemetry carry it. The SDK's messages and params are records
 * (params may also be untyped maps), so a request is given {@code _meta} by a copy: the message and its
 * params rebuilt through their canonical constructors with a {@code meta} map that has the two keys
 * beside whatever it had. A request whose shape is not that (no {@code meta} component, no params at
 * all, a failing constructor) is left as it is: the call must never depend on its trace context.
 */
public final class TraceMeta {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    static final String META_KEY = "_meta";
    private static final Member META = Member.property("meta");

    private static final ClassValue<Copier> COPIERS = new ClassValue<>() {
        @Override
        protected Copier computeValue(Class<?> type) {
            return Copier.of(type);
        }
    };

    private TraceMeta() {
    }

    /** The {@code _meta} of params: a map entry of untyped params, else the record's {@code meta()}. */
    public static Map<?, ?> of(Object params) {
        Object meta = params instanceof Map<?, ?> m ? m.get(META_KEY) : META.get(params);
        return meta instanceof Map<?, ?> map ? map : null;
    }

    /** The {@code traceparent} params already carry (set by the app, or by an agent that ran first), or null. */
    public static String traceparent(Object params) {
        Map<?, ?> meta = of(params);
        return meta != null && meta.get(TRACEPARENT) instanceof String s ? s : null;
    }

    /**
     * A copy of {@code message} (a record with a {@code params} component) whose params' {@code _meta} also
     * has {@code traceparent} (and {@code tracestate} when not null); {@code message} itself when that
     * cannot be done safely.
     */
    public static Object with(Object message, Object params, String traceparent, String tracestate) {
        if (message == null || params == null) {
            return message;
        }
        try {
            Object newParams;
            if (params instanceof Map<?, ?> map) {
                Map<Object, Object> copy = new LinkedHashMap<>(map);
                copy.put(META_KEY, meta(map.get(META_KEY), traceparent, tracestate));
                newParams = copy;
            } else {
                Copier p = COPIERS.get(params.getClass());
                if (p == null || p.meta < 0) {
                    return message;
                }
                newParams = p.copy(params, p.meta, meta(p.get(params, p.meta), traceparent, tracestate));
            }
            Copier m = COPIERS.get(message.getClass());
            if (m == null || m.params < 0) {
                return message;
            }
            return m.copy(message, m.params, newParams);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return message;
        }
    }

    private static Map<String, Object> meta(Object existing, String traceparent, String tracestate) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (existing instanceof Map<?, ?> old) {
            old.forEach((k, v) -> meta.put(String.valueOf(k), v));
        }
        meta.put(TRACEPARENT, traceparent);
        if (tracestate != null) {
            meta.put(TRACESTATE, tracestate);
        }
        return meta;
    }

    /**
     * A record type's canonical constructor and accessors, as method handles resolved once per class
     * (RecordComponent.getAccessor() copies its Method on every call); where its {@code meta} (a Map)
     * and {@code params} are.
     */
    private static final class Copier {
        final MethodHandle constructor;
        final MethodHandle[] getters;
        final int meta;
        final int params;

        private Copier(MethodHandle constructor, MethodHandle[] getters, int meta, int params) {
            this.constructor = constructor;
            this.getters = getters;
            this.meta = meta;
            this.params = params;
        }

        static Copier of(Class<?> type) {
            if (!type.isRecord()) {
                return null;
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                RecordComponent[] components = type.getRecordComponents();
                Class<?>[] types = new Class<?>[components.length];
                MethodHandle[] getters = new MethodHandle[components.length];
                int meta = -1;
                int params = -1;
                for (int i = 0; i < components.length; i++) {
                    types[i] = components[i].getType();
                    java.lang.reflect.Method accessor = components[i].getAccessor();
                    accessor.setAccessible(true);
                    getters[i] = lookup.unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
                    if (components[i].getName().equals("meta") && types[i] == Map.class) {
                        meta = i;
                    } else if (components[i].getName().equals("params") && types[i] == Object.class) {
                        params = i;
                    }
                }
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                MethodHandle create = lookup.unreflectConstructor(constructor)
                        .asType(MethodType.genericMethodType(components.length))
                        .asSpreader(Object[].class, components.length);
                return new Copier(create, getters, meta, params);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }

        Object get(Object record, int index) throws ReflectiveOperationException {
            try {
                return getters[index].invokeExact(record);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new ReflectiveOperationException(t);
            }
        }

        Object copy(Object record, int index, Object value) throws ReflectiveOperationException {
            Object[] args = new Object[getters.length];
            try {
                for (int i = 0; i < args.length; i++) {
                    args[i] = i == index ? value : getters[i].invokeExact(record);
                }
                return constructor.invokeExact(args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new ReflectiveOperationException(t);
            }
        }
    }
}
