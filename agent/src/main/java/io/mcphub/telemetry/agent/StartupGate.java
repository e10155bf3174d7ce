package io.mcphub.telemetry.agent;

import io.mcphub.telemetry.agent.instrumentation.common.Candidates;
import io.mcphub.telemetry.agent.instrumentation.common.ClassBytes;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Lets the hub start while the agent installs its instrumentation on a thread of its own (Byte Buddy's
 * installation is most of the agent's start-up: ~1,000 of its classes and a generated transformer).
 * This tiny transformer is registered at once, in {@code premain}; Byte Buddy's transformer is handed to
 * it when ready, instead of being registered itself, and every class the JVM defines or retransforms
 * then goes through it. Until then, a class of a library the agent instruments (the MCP SDK, the
 * servlet API, Jetty's and Tomcat's connectors, the JDK's HTTP client and server) that a rule may
 * advise waits for the installation, at most {@link #MAX_WAIT_SECONDS} s, so none of them is defined,
 * or runs, before its advice is there. Which ones may is known once the installation has made the
 * rules (its first part): until then such a class waits for that. Any other class passes untouched,
 * and Byte Buddy's retransformation pass at the end of its installation transforms those of them that
 * match (the hub's servlets, say, loaded early). The installing thread itself, and a class being
 * retransformed, never wait.
 *
 * <p>Once open, the gate hands Byte Buddy only the classes being loaded that a rule may match
 * ({@link Candidates}, and not one of the types the agent ignores): at a Spring Boot start, 24 of the
 * 5,462 classes loaded after the installation, and Byte Buddy's transformer costs each class it is handed several objects
 * and a round of its matchers and listener on the application's thread. A class being retransformed
 * always goes to Byte Buddy: only Byte Buddy's own pass and other agents retransform, and a class it
 * instrumented must get its advice again.
 */
final class StartupGate implements ClassFileTransformer {

    static final long MAX_WAIT_SECONDS = 10;
    private static final String[] JDK_HTTP_SERVER = {"com/sun/net/httpserver/", "sun/net/httpserver/"};
    private static final String[] WAITING = {"io/modelcontextprotocol/", "jakarta/servlet/", "javax/servlet/",
            "org/eclipse/jetty/server/", "org/apache/catalina/connector/", JDK_HTTP_SERVER[0], JDK_HTTP_SERVER[1],
            // of the JDK's HTTP client only the two classes the OAuth hooks advise (OAuthInstrumentation.JDK_TARGETS):
            // an application that merely names HttpClient early must not wait
            "java/net/http/HttpRequest$BodyPublishers", "jdk/internal/net/http/HttpClientImpl"};
    /**
     * SDK types that no rule advises and that applications name in their own signatures (a Spring application's
     * main class declares beans of McpSyncClient, which the launcher resolves first thing): they need not wait,
     * and waiting for them made a Spring Boot start wait for the whole installation (~0.5 s) before it began.
     */
    private static final String[] NEVER_ADVISED = {"io/modelcontextprotocol/spec/McpSchema",
            "io/modelcontextprotocol/client/McpClient", "io/modelcontextprotocol/client/McpSyncClient",
            "io/modelcontextprotocol/client/McpAsyncClient", "io/modelcontextprotocol/server/McpServer",
            "io/modelcontextprotocol/server/McpSyncServer"};
    private static final ClassFileTransformer NONE = new ClassFileTransformer() {
    };

    private final Instrumentation instrumentation;
    private final CountDownLatch rulesKnown = new CountDownLatch(1);
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile ClassFileTransformer delegate;
    private volatile Thread installer;

    StartupGate(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /** The thread that installs: it never waits for itself. */
    void installer(Thread thread) {
        this.installer = thread;
    }

    /** The rules are made: their conditions ({@link Candidates}) tell which classes need to wait. */
    void rulesKnown() {
        rulesKnown.countDown();
    }

    /** Byte Buddy's transformer: from now on every class goes through it. */
    private void open(ClassFileTransformer transformer) {
        delegate = transformer;
        rulesKnown.countDown();
        ready.countDown();
    }

    /** The installation failed or was given up: classes pass untouched, and none waits any more. */
    void abandon() {
        if (delegate == null) {
            open(NONE);
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) throws IllegalClassFormatException {
        ClassFileTransformer t = delegate;
        if (t == null) {
            if (redefined != null || name == null || Thread.currentThread() == installer || !holdsBack(loader, name, bytes)) {
                return null;
            }
            t = await();
        }
        if (t == NONE) {
            return null;
        }
        ClassBytes.set(name, bytes);
        try {
            if (redefined == null && name != null && !handsOver(loader, name, bytes)) {
                return null;
            }
            return t.transform(module, loader, name, redefined, domain, bytes);
        } finally {
            ClassBytes.clear();
        }
    }

    /**
     * Whether a class being loaded goes to Byte Buddy: not one the agent ignores, and one a rule may match.
     * Its class file must be at hand ({@link ClassBytes}).
     */
    static boolean handsOver(ClassLoader loader, String internalName, byte[] bytes) {
        return !Instrumentations.ignored(internalName) && Candidates.mayMatch(loader, internalName, bytes);
    }

    /**
     * Whether a class being loaded before the installation waits for it: a class of a waiting package that a
     * rule may advise, and any class of the JDK's HTTP server. No rule advises the latter, but a hub's handlers
     * loaded before the installation get their advice only from its retransformation pass at the end: holding
     * the server back until then keeps its requests recorded from the first.
     */
    boolean holdsBack(ClassLoader loader, String name, byte[] bytes) {
        if (!waits(name)) {
            return false;
        }
        if (InternalNames.startsWithAny(name, JDK_HTTP_SERVER)) {
            return true;
        }
        return !isInterface(bytes) && mayBeAdvised(loader, name, bytes);
    }

    /**
     * Before the installation: whether a class of a waiting package may be advised, once the rules are made
     * (waiting for that first: the first part of the installation, not all of it).
     */
    private boolean mayBeAdvised(ClassLoader loader, String name, byte[] bytes) {
        if (!awaitOrGiveUp(rulesKnown) || delegate == NONE) {
            return false;
        }
        ClassBytes.set(name, bytes);
        try {
            return handsOver(loader, name, bytes);
        } finally {
            ClassBytes.clear();
        }
    }

    private ClassFileTransformer await() {
        awaitOrGiveUp(ready);
        ClassFileTransformer t = delegate;
        return t == null ? NONE : t;
    }

    /** False when the wait was given up (too long: the installation is abandoned; or interrupted). */
    private boolean awaitOrGiveUp(CountDownLatch latch) {
        try {
            if (latch.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
            abandonLate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void abandonLate() {
        System.err.println("[mcp-telemetry] the agent's instrumentation was not installed within " + MAX_WAIT_SECONDS
                + " s; classes load without it");
        abandon();
    }

    /**
     * No rule advises an interface of the packages that wait (their advised types are named classes, or
     * classes extending or implementing a target: {@code not(isInterface())} or a class target), so such an
     * interface loads at once: Spring Boot's first step asks for {@code jakarta.servlet.Servlet} to learn
     * whether the application is a web one, and waiting for it held the whole start for the installation
     * (~0.3 s of the main thread, async-profiler, wall clock).
     */
    static boolean isInterface(byte[] classFile) {
        try {
            return (new ClassReader(classFile).getAccess() & Opcodes.ACC_INTERFACE) != 0;
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    static boolean waits(String internalName) {
        return InternalNames.startsWithAny(internalName, WAITING) && !InternalNames.startsWithAny(internalName, NEVER_ADVISED);
    }

    /**
     * The instrumentation Byte Buddy installs into: the JVM's, except that the transformer it registers
     * is handed to this gate (already registered, able to retransform) rather than to the JVM.
     */
    Instrumentation instrumentation() {
        return new Instrumentation() {
            @Override
            public void addTransformer(ClassFileTransformer transformer, boolean canRetransform) {
                open(transformer);
            }

            @Override
            public void addTransformer(ClassFileTransformer transformer) {
                open(transformer);
            }

            @Override
            public boolean removeTransformer(ClassFileTransformer transformer) {
                if (delegate == transformer) {
                    delegate = NONE;
                    return true;
                }
                return false;
            }

            @Override
            public boolean isRetransformClassesSupported() {
                return instrumentation.isRetransformClassesSupported();
            }

            @Override
            public void retransformClasses(Class<?>... classes) throws UnmodifiableClassException {
                instrumentation.retransformClasses(classes);
            }

            @Override
            public boolean isRedefineClassesSupported() {
                return instrumentation.isRedefineClassesSupported();
            }

            @Override
            public void redefineClasses(ClassDefinition... definitions) throws ClassNotFoundException,
                    UnmodifiableClassException {
                instrumentation.redefineClasses(definitions);
            }

            @Override
            public boolean isModifiableClass(Class<?> theClass) {
                return instrumentation.isModifiableClass(theClass);
            }

            @Override
            @SuppressWarnings("rawtypes")
            public Class[] getAllLoadedClasses() {
                return instrumentation.getAllLoadedClasses();
            }

            @Override
            @SuppressWarnings("rawtypes")
            public Class[] getInitiatedClasses(ClassLoader loader) {
                return instrumentation.getInitiatedClasses(loader);
            }

            @Override
            public long getObjectSize(Object objectToSize) {
                return instrumentation.getObjectSize(objectToSize);
            }

            @Override
            public void appendToBootstrapClassLoaderSearch(JarFile jarfile) {
                instrumentation.appendToBootstrapClassLoaderSearch(jarfile);
            }

            @Override
            public void appendToSystemClassLoaderSearch(JarFile jarfile) {
                instrumentation.appendToSystemClassLoaderSearch(jarfile);
            }

            @Override
            public boolean isNativeMethodPrefixSupported() {
                return instrumentation.isNativeMethodPrefixSupported();
            }

            @Override
            public void setNativeMethodPrefix(ClassFileTransformer transformer, String prefix) {
                instrumentation.setNativeMethodPrefix(transformer, prefix);
            }

            @Override
            public void redefineModule(Module module, Set<Module> extraReads, Map<String, Set<Module>> extraExports,
                                       Map<String, Set<Module>> extraOpens, Set<Class<?>> extraUses,
                                       Map<Class<?>, java.util.List<Class<?>>> extraProvides) {
                instrumentation.redefineModule(module, extraReads, extraExports, extraOpens, extraUses, extraProvides);
            }

            @Override
            public boolean isModifiableModule(Module module) {
                return instrumentation.isModifiableModule(module);
            }
        };
    }
}
