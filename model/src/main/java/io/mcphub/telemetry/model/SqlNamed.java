package io.mcphub.telemetry.model;

import java.util.Arrays;
import java.util.List;

/**
 * An enum whose values have one spelling everywhere: the lower-case name stored in the database
 * (and checked there), written in JSON, accepted as an API parameter and used as a Prometheus label.
 */
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
                + names(type));
    }

    /** The value's name, or null for no value. */
    static String nameOf(SqlNamed value) {
        return value == null ? null : value.sqlName();
    }

    /** Every value's name, in declaration order. */
    static <E extends Enum<E> & SqlNamed> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(SqlNamed::sqlName).toList();
    }
}
