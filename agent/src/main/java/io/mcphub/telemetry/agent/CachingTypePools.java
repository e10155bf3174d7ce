package io.mcphub.telemetry.agent;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Type descriptions cached per class loader, as the OpenTelemetry agent caches them: the modules' type
 * matchers walk every class's super types, and without a cache each walk parses the same super classes'
 * files again (measured: the demo hub's start took 3.7 x as long with the agent, most of it that). The
 * cache of a loader is held softly, so the GC takes it back under memory pressure, and the loaders
 * weakly.
 */
final class CachingTypePools implements AgentBuilder.PoolStrategy {

    private final Map<ClassLoader, TypePool.CacheProvider> caches = Collections.synchronizedMap(new WeakHashMap<>());
    private final TypePool.CacheProvider bootstrap = new TypePool.CacheProvider.Simple.UsingSoftReference();

    @Override
    public TypePool typePool(ClassFileLocator locator, ClassLoader loader) {
        TypePool.CacheProvider cache = loader == null ? bootstrap
                : caches.computeIfAbsent(loader, l -> new TypePool.CacheProvider.Simple.UsingSoftReference());
        return new TypePool.Default.WithLazyResolution(cache, locator, TypePool.Default.ReaderMode.FAST);
    }

    @Override
    public TypePool typePool(ClassFileLocator locator, ClassLoader loader, String name) {
        return typePool(locator, loader);
    }
}
