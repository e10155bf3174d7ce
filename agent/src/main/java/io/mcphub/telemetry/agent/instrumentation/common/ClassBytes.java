package io.mcphub.telemetry.agent.instrumentation.common;

/**
 * The class file the JVM is handing to the agent's transformer on this thread, so that matchers can read
 * its header (super class, interfaces, flags) without Byte Buddy parsing the whole class: Byte Buddy's
 * matchers see only a type description, which is parsed in full the first time anything but its name is
 * asked. Set by the agent's outermost transformer around each call.
 */
public final class ClassBytes {

    private record Current(String internalName, byte[] bytes) {
    }

    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private ClassBytes() {
    }

    /** Marks {@code bytes} as the class file of {@code internalName} until {@link #clear()}. */
    public static void set(String internalName, byte[] bytes) {
        CURRENT.set(internalName == null || bytes == null ? null : new Current(internalName, bytes));
    }

    public static void clear() {
        CURRENT.remove();
    }

    /** The class file being transformed on this thread if it is that of {@code internalName}, else null. */
    static byte[] of(String internalName) {
        Current c = CURRENT.get();
        return c != null && c.internalName.equals(internalName) ? c.bytes : null;
    }
}
