package io.mcphub.telemetry.record;

import java.util.Arrays;

/** An enum stored in the database under a lower-case name. */
public interface SqlNamed {
    String sqlName();

    /** Parses a stored or constant name, case-insensitively; the message lists the accepted names. */
    static <E extends Enum<E> & SqlNamed> E parse(Class<E> type, String name) {
        for (E value : type.getEnumConstants()) {
            if (value.sqlName().equalsIgnoreCase(name) || value.name().equalsIgnoreCase(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + name + "', expected one of "
                + Arrays.stream(type.getEnumConstants()).map(SqlNamed::sqlName).toList());
    }
}
