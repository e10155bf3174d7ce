package io.mcphub.telemetry.agent.instrumentation.common;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What a class must have for any of the agent's type rules to match it: one of the rules' named types, a
 * super type among the rules' targets, or a name the rules look for in its class file. Each rule's type
 * matcher starts with one of the matchers that register their condition here ({@link #named},
 * {@link SuperTypes#hasSuperType}, {@link SuperTypes#mentions}), so a class none of these conditions
 * accepts cannot match any rule, and the start-up gate does not hand it to Byte Buddy at all. A Spring
 * Boot application's start loads ~9,800 classes, of which a few dozen can be ours; Byte Buddy's
 * transformer made a lazy type description, a type pool, a class-file locator and a listener round for
 * each of the others before its matchers said no, on the application's main thread.
 *
 * <p>The conditions are cheap where they can be: a name is a set lookup, a super type the remembered
 * header masks of {@link SuperTypes}, and a class loader that a condition's loader matcher refuses (one
 * without the library, the bootstrap loader) skips that condition.
 */
public final class Candidates {

    private sealed interface Condition permits Named, SubtypeOf, Mentions {
        ElementMatcher<? super ClassLoader> loaders();
    }

    private record Named(ElementMatcher<? super ClassLoader> loaders, Set<String> internalNames) implements Condition {
    }

    private record SubtypeOf(ElementMatcher<? super ClassLoader> loaders, long bits) implements Condition {
    }

    private record Mentions(ElementMatcher<? super ClassLoader> loaders, byte[] needle) implements Condition {
    }

    private static final List<Condition> CONDITIONS = new CopyOnWriteArrayList<>();

    private Candidates() {
    }

    /**
     * Types in a loader that {@code loaders} matches named one of {@code binaryNames}: Byte Buddy's
     * {@code named} matcher, registered as a condition.
     */
    public static AgentBuilder.RawMatcher named(ElementMatcher<? super ClassLoader> loaders, String... binaryNames) {
        Set<String> names = Set.of(binaryNames);
        CONDITIONS.add(new Named(loaders, names.stream().map(n -> n.replace('.', '/')).collect(Collectors.toUnmodifiableSet())));
        return (type, loader, module, redefined, domain) -> loaders.matches(loader) && names.contains(type.getName());
    }

    static void subtypeOf(ElementMatcher<? super ClassLoader> loaders, long bits) {
        CONDITIONS.add(new SubtypeOf(loaders, bits));
    }

    static void mentions(ElementMatcher<? super ClassLoader> loaders, byte[] needle) {
        CONDITIONS.add(new Mentions(loaders, needle));
    }

    /**
     * False when no rule can match the class {@code internalName} that {@code loader} is defining from
     * {@code bytes}; true when one may (Byte Buddy's matchers then decide). A class whose super types cannot
     * be read counts as one that may. {@code bytes} must be at hand through {@link ClassBytes} too.
     */
    public static boolean mayMatch(ClassLoader loader, String internalName, byte[] bytes) {
        long wanted = 0;
        boolean mentions = false;
        for (Condition c : CONDITIONS) {
            if (!c.loaders().matches(loader)) {
                continue;
            }
            if (c instanceof Named n) {
                if (n.internalNames().contains(internalName)) {
                    return true;
                }
            } else if (c instanceof SubtypeOf s) {
                wanted |= s.bits();
            } else {
                mentions = true;
            }
        }
        if (wanted != 0 && (SuperTypes.mask(loader, internalName, null) & (wanted | SuperTypes.UNKNOWN)) != 0) {
            return true;
        }
        if (mentions) {
            for (Condition c : CONDITIONS) {
                if (c instanceof Mentions m && m.loaders().matches(loader) && SuperTypes.contains(bytes, m.needle())) {
                    return true;
                }
            }
        }
        return false;
    }
}
