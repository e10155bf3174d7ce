package io.mcphub.telemetry.agent.instrumentation.common;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Matches class loaders that can see one of the named classes: a module's types are only looked at in
 * loaders that have its library, as the OpenTelemetry agent's {@code hasClassesNamed} does, so that the
 * type matchers (which walk super types) never run over a loader's classes that cannot be ours. Decided
 * once per loader, by looking for the class file, not by loading it. The bootstrap and platform loaders
 * never match: they cannot see the agent's hooks.
 */
public final class SeesClass implements ElementMatcher<ClassLoader> {

    private final List<String> resources;
    private final Map<ClassLoader, Boolean> seen = Collections.synchronizedMap(new WeakHashMap<>());

    private SeesClass(List<String> classNames) {
        this.resources = classNames.stream().map(n -> n.replace('.', '/') + ".class").toList();
    }

    /** Loaders that see at least one of {@code classNames}. */
    public static SeesClass anyOf(String... classNames) {
        return new SeesClass(List.of(classNames));
    }

    @Override
    public boolean matches(ClassLoader loader) {
        if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
            return false;
        }
        Boolean known = seen.get(loader);
        if (known == null) {
            known = false;
            for (String resource : resources) {
                try {
                    if (loader.getResource(resource) != null) {
                        known = true;
                        break;
                    }
                } catch (RuntimeException e) {
                    // a loader that cannot answer is treated as one without the library
                }
            }
            seen.put(loader, known);
        }
        return known;
    }
}
