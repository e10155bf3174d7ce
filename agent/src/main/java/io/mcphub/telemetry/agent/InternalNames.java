package io.mcphub.telemetry.agent;

import java.util.Arrays;

/** Class names as class files and the JVM's transformer callback spell them ({@code a/b/C}). */
final class InternalNames {

    private InternalNames() {
    }

    static String[] of(String... binaryNames) {
        return Arrays.stream(binaryNames).map(n -> n.replace('.', '/')).toArray(String[]::new);
    }

    static boolean startsWithAny(String internalName, String[] prefixes) {
        for (String prefix : prefixes) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
