package io.mcphub.telemetry.agent.instrumentation.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.matcher.ElementMatchers;
import org.junit.jupiter.api.Test;

public class SuperTypesTest {

    public interface Target {
    }

    public interface Other {
    }

    public interface TargetChild extends Other, Target {
    }

    public static class Direct implements Target {
    }

    public static class ViaInterface implements TargetChild {
    }

    public static class ViaSuperClass extends Direct implements Runnable {
        @Override
        public void run() {
        }
    }

    public static class Unrelated implements Other, Runnable {
        @Override
        public void run() {
        }
    }

    private static final AgentBuilder.RawMatcher TARGET = SuperTypes.hasSuperType(ElementMatchers.any(), Target.class.getName());
    private static final AgentBuilder.RawMatcher NOWHERE = SuperTypes.hasSuperType(ElementMatchers.none(), Target.class.getName());

    /** As the agent's transformer sees a class being loaded: its class file at hand, the class not yet defined. */
    private static boolean whileLoading(AgentBuilder.RawMatcher m, Class<?> type) throws IOException {
        ClassBytes.set(type.getName().replace('.', '/'), classFile(type));
        try {
            return m.matches(TypeDescription.ForLoadedType.of(type), type.getClassLoader(), null, null, null);
        } finally {
            ClassBytes.clear();
        }
    }

    private static boolean retransforming(AgentBuilder.RawMatcher m, Class<?> type) {
        return m.matches(TypeDescription.ForLoadedType.of(type), type.getClassLoader(), null, type, null);
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        ClassLoader loader = type.getClassLoader() == null ? ClassLoader.getPlatformClassLoader() : type.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void findsTheTargetAtAnyDepthThroughClassesAndInterfaces() throws IOException {
        for (Class<?> c : new Class<?>[] {Target.class, Direct.class, ViaInterface.class, ViaSuperClass.class, TargetChild.class}) {
            assertTrue(whileLoading(TARGET, c), c + " while loading");
            assertTrue(retransforming(TARGET, c), c + " when retransformed");
        }
        for (Class<?> c : new Class<?>[] {Unrelated.class, Other.class, String.class, SuperTypesTest.class}) {
            assertFalse(whileLoading(TARGET, c), c + " while loading");
            assertFalse(retransforming(TARGET, c), c + " when retransformed");
        }
    }

    @Test
    void looksAtNoClassOfALoaderThatDoesNotMatch() throws IOException {
        assertFalse(whileLoading(NOWHERE, Direct.class));
        assertFalse(retransforming(NOWHERE, Direct.class));
    }

    @Test
    void aSuperTypeWithoutClassFileLeavesTheAnswerToByteBuddy() throws Exception {
        // a generated class (no class file a loader could find) between the class and the target
        Class<?> generated = new ByteBuddy().subclass(Direct.class).name("gen.Generated").make()
                .load(getClass().getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        DynamicType.Unloaded<?> child = new ByteBuddy().subclass(generated).name("gen.Child").make();
        Class<?> loaded = child.load(generated.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        ClassBytes.set("gen/Child", child.getBytes());
        try {
            assertTrue(TARGET.matches(TypeDescription.ForLoadedType.of(loaded), loaded.getClassLoader(), null, null, null));
        } finally {
            ClassBytes.clear();
        }
        DynamicType.Unloaded<?> unrelated = new ByteBuddy().subclass(Object.class).implement(Other.class).name("gen.Unrelated").make();
        Class<?> u = unrelated.load(generated.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        ClassBytes.set("gen/Unrelated", unrelated.getBytes());
        try {
            assertFalse(TARGET.matches(TypeDescription.ForLoadedType.of(u), u.getClassLoader(), null, null, null));
        } finally {
            ClassBytes.clear();
        }
    }

    @Test
    void mentionsLooksForTheNameInTheClassFile() throws IOException {
        AgentBuilder.RawMatcher namesRunnable = SuperTypes.mentions(ElementMatchers.any(), Runnable.class.getName());
        assertTrue(whileLoading(namesRunnable, Unrelated.class));
        assertFalse(whileLoading(namesRunnable, Direct.class));
        assertFalse(retransforming(namesRunnable, Direct.class), "a loaded class's file is read from its loader");
        assertTrue(retransforming(namesRunnable, Unrelated.class));
        DynamicType.Unloaded<?> made = new ByteBuddy().subclass(Object.class).name("gen.WithoutClassFile").make();
        Class<?> withoutFile = made.load(getClass().getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        assertTrue(retransforming(namesRunnable, withoutFile), "a class whose file cannot be read counts as naming it");
        assertTrue(SuperTypes.contains("abcabd".getBytes(), "abd".getBytes()));
        assertFalse(SuperTypes.contains("ab".getBytes(), "abd".getBytes()));
    }

    @Test
    void syntheticIsReadFromTheHeader() throws IOException {
        AgentBuilder.RawMatcher synthetic = SuperTypes.synthetic();
        assertFalse(whileLoading(synthetic, Direct.class));
        DynamicType.Unloaded<?> made = new ByteBuddy().subclass(Object.class).name("gen.Synthetic")
                .modifiers(net.bytebuddy.description.modifier.SyntheticState.SYNTHETIC,
                        net.bytebuddy.description.modifier.Visibility.PUBLIC).make();
        ClassBytes.set("gen/Synthetic", made.getBytes());
        try {
            assertTrue(synthetic.matches(made.getTypeDescription(), null, null, null, null));
        } finally {
            ClassBytes.clear();
        }
    }
}
