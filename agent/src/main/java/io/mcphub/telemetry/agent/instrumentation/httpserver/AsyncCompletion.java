package io.mcphub.telemetry.agent.instrumentation.httpserver;

import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.agent.AgentErrors;
import io.mcphub.telemetry.agent.AgentTelemetry;
import io.mcphub.telemetry.agent.instrumentation.common.ServletApi;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records an async servlet request when it ends, through an AsyncListener. The listener is a dynamic proxy
 * of the container's own AsyncListener interface (jakarta or javax), so the agent links against neither.
 */
final class AsyncCompletion implements InvocationHandler {

    private static final ClassValue<Method> ADD_LISTENER = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> asyncContextType) {
            Class<?> api = servletInterface(asyncContextType);
            if (api == null) {
                return null;
            }
            for (Method m : api.getMethods()) {
                if (m.getName().equals("addListener") && m.getParameterCount() == 1
                        && m.getParameterTypes()[0].isInterface()) {
                    return m;
                }
            }
            return null;
        }
    };

    private final Object request;
    private final Object response;
    private final long startNanos;
    private final AtomicBoolean done = new AtomicBoolean();

    private AsyncCompletion(Object request, Object response, long startNanos) {
        this.request = request;
        this.response = response;
        this.startNanos = startNanos;
    }

    /** False when no listener could be added; the caller then records the request at once. */
    static boolean register(Object request, Object response, long startNanos) {
        Object asyncContext = ServletApi.GET_ASYNC_CONTEXT.get(request);
        if (asyncContext == null) {
            return false;
        }
        Method addListener = ADD_LISTENER.get(asyncContext.getClass());
        if (addListener == null) {
            return false;
        }
        Class<?> listenerType = addListener.getParameterTypes()[0];
        Object listener = Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] { listenerType },
                new AsyncCompletion(request, response, startNanos));
        try {
            addListener.invoke(asyncContext, listener);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // e.g. already completed
        }
    }

    /** The public {@code jakarta.servlet.AsyncContext} / {@code javax.servlet.AsyncContext} a type implements. */
    private static Class<?> servletInterface(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals("jakarta.servlet.AsyncContext") || i.getName().equals("javax.servlet.AsyncContext")) {
                    return i;
                }
                Class<?> deeper = servletInterface(i);
                if (deeper != null) {
                    return deeper;
                }
            }
        }
        return null;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        switch (method.getName()) {
            case "onComplete", "onTimeout", "onError" -> complete(!method.getName().equals("onComplete"));
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "equals" -> {
                return args != null && args.length == 1 && args[0] == proxy;
            }
            case "toString" -> {
                return "mcp-telemetry-async-listener";
            }
            default -> {
                // onStartAsync: nothing to do
            }
        }
        return null;
    }

    private void complete(boolean failed) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        try {
            McpHubTelemetry t = AgentTelemetry.get();
            if (t != null) {
                ServletHooks.record(t, request, response, startNanos, failed);
            }
        } catch (Throwable e) {
            AgentErrors.report("http.servlet-async", e);
        }
    }
}
