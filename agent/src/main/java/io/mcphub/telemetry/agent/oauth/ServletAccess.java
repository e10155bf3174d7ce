package io.mcphub.telemetry.agent.oauth;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Reads servlet requests and responses by reflection, so one agent serves {@code jakarta.servlet} and
 * {@code javax.servlet} containers and needs neither API at build time. Methods are resolved once per
 * implementation class, through a public interface when the implementation class itself is not public.
 */
final class ServletAccess {

    private static final ClassValue<Method[]> REQUEST = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            return new Method[] {publicMethod(type, "getRequestURI"), publicMethod(type, "getQueryString")};
        }
    };
    private static final ClassValue<Method[]> RESPONSE = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            return new Method[] {publicMethod(type, "getStatus"), publicMethod(type, "getHeader", String.class)};
        }
    };

    private ServletAccess() {
    }

    static String requestUri(Object request) throws ReflectiveOperationException {
        return (String) call(REQUEST.get(request.getClass())[0], request);
    }

    static String queryString(Object request) throws ReflectiveOperationException {
        return (String) call(REQUEST.get(request.getClass())[1], request);
    }

    /** The response status, or -1 when unknown. */
    static int status(Object response) throws ReflectiveOperationException {
        Object status = call(RESPONSE.get(response.getClass())[0], response);
        return status instanceof Integer i ? i : -1;
    }

    static String header(Object response, String name) throws ReflectiveOperationException {
        return (String) call(RESPONSE.get(response.getClass())[1], response, name);
    }

    private static Object call(Method m, Object target, Object... args) throws ReflectiveOperationException {
        return m == null ? null : m.invoke(target, args);
    }

    static Method publicMethod(Class<?> type, String name, Class<?>... params) {
        Method m;
        try {
            m = type.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            return null;
        }
        if (Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
            return m;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                Method viaInterface = fromInterface(i, name, params);
                if (viaInterface != null) {
                    return viaInterface;
                }
            }
        }
        return null;
    }

    private static Method fromInterface(Class<?> i, String name, Class<?>... params) {
        if (Modifier.isPublic(i.getModifiers())) {
            try {
                return i.getMethod(name, params);
            } catch (NoSuchMethodException ignored) {
                // try its super interfaces
            }
        }
        for (Class<?> parent : i.getInterfaces()) {
            Method m = fromInterface(parent, name, params);
            if (m != null) {
                return m;
            }
        }
        return null;
    }
}
