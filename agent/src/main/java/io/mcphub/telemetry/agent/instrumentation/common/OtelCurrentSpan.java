package io.mcphub.telemetry.agent.instrumentation.common;

import io.mcphub.telemetry.model.TraceIds;
import java.lang.reflect.Method;
import java.util.function.BiConsumer;

/**
 * The hub's current OpenTelemetry span, read without linking against OpenTelemetry. With the
 * OpenTelemetry Java agent attached, its context lives in the API copy it puts on the boot class path
 * ({@code io.opentelemetry.javaagent.shaded...}): instrumentation advice inlined into any class loader
 * reaches it there, and so do we; the app's own {@code io.opentelemetry.api}, if any, is bridged to that
 * same context by the agent. Without the agent, the app's API (its SDK set up by the app) is read through
 * the class loader of the SDK class at hand. Resolved once per such class; any failure reads as "no span".
 */
public final class OtelCurrentSpan {

    static final String AGENT_SPAN = "io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.Span";
    static final String APP_SPAN = "io.opentelemetry.api.trace.Span";

    /** The span a call continues, with the vendor state ({@code tracestate}) it carries; null when empty. */
    public record Current(TraceIds.Parent parent, String tracestate) {
    }

    private static final ClassValue<Api> BY_CLASS = new ClassValue<>() {
        @Override
        protected Api computeValue(Class<?> type) {
            Api agent = Api.find(AGENT_SPAN, null);
            return agent != null ? agent : Api.find(APP_SPAN, type.getClassLoader());
        }
    };

    private OtelCurrentSpan() {
    }

    /** The current span as seen from the app code of {@code appClass}; null when there is none (or no API). */
    public static Current of(Class<?> appClass) {
        Api api = BY_CLASS.get(appClass);
        return api == null ? null : api.read();
    }

    /** The reflective calls of one copy of the OpenTelemetry API. */
    private record Api(Method spanCurrent, Method getSpanContext, Method isValid, Method getTraceId, Method getSpanId,
                       Method getTraceFlags, Method isSampled, Method getTraceState, Method isEmpty, Method forEach) {

        static Api find(String spanClass, ClassLoader loader) {
            try {
                Class<?> span = Class.forName(spanClass, false, loader);
                ClassLoader l = span.getClassLoader();
                String pkg = spanClass.substring(0, spanClass.lastIndexOf('.') + 1);
                Class<?> context = Class.forName(pkg + "SpanContext", false, l);
                Class<?> flags = Class.forName(pkg + "TraceFlags", false, l);
                Class<?> state = Class.forName(pkg + "TraceState", false, l);
                return new Api(span.getMethod("current"), span.getMethod("getSpanContext"), context.getMethod("isValid"),
                        context.getMethod("getTraceId"), context.getMethod("getSpanId"), context.getMethod("getTraceFlags"),
                        flags.getMethod("isSampled"),
                        context.getMethod("getTraceState"), state.getMethod("isEmpty"),
                        state.getMethod("forEach", BiConsumer.class));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }

        Current read() {
            try {
                Object context = getSpanContext.invoke(spanCurrent.invoke(null));
                if (context == null || !(Boolean) isValid.invoke(context)) {
                    return null;
                }
                String traceId = (String) getTraceId.invoke(context);
                String spanId = (String) getSpanId.invoke(context);
                Object flags = getTraceFlags.invoke(context);
                TraceIds.Parent parent = new TraceIds.Parent(TraceIds.parseId(traceId, 0), TraceIds.parseId(traceId, 16),
                        TraceIds.parseId(spanId, 0), flags != null && (Boolean) isSampled.invoke(flags));
                if (parent.spanId() == 0 || (parent.traceHigh() == 0 && parent.traceLow() == 0)) {
                    return null;
                }
                return new Current(parent, tracestate(getTraceState.invoke(context)));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }

        /** W3C {@code tracestate}: {@code key=value} pairs, in the span's order, comma-separated. */
        private String tracestate(Object state) throws ReflectiveOperationException {
            if (state == null || (Boolean) isEmpty.invoke(state)) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            BiConsumer<String, String> append = (k, v) -> {
                if (out.length() > 0) {
                    out.append(',');
                }
                out.append(k).append('=').append(v);
            };
            forEach.invoke(state, append);
            return out.length() == 0 ? null : out.toString();
        }
    }
}
