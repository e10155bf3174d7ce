package io.mcphub.telemetry.schema;

import io.mcphub.telemetry.model.StorageLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL file: versioned ({@code V<3 digits>__name}: tables, roles, policies; applied once, never
 * edited) or repeatable ({@code R__name}: functions and views; re-applied when its text changes).
 * {@code layout} is empty for files that apply to every storage layout.
 */
public record Migration(Kind kind, int version, String name, Optional<StorageLayout> layout, String fileName,
                        String sql) {

    public enum Kind { VERSIONED, REPEATABLE }

    private static final Pattern FILE_NAME =
            Pattern.compile("(?:V(\\d{3})|R)__([a-z0-9_]+?)(?:\\.(plain|timescale|citus))?\\.sql");
    private static final Pattern PARTITION_PLACEHOLDER = Pattern.compile("\\{\\{(PARTITION BY [^}]+)}}");

    public static Migration parse(String fileName, String sql) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            throw new MigrationException("migration file name '" + fileName
                    + "' does not match V<3 digits>__<name>[.plain|.timescale|.citus].sql or R__<name>[.plain|.timescale|.citus].sql");
        }
        Optional<StorageLayout> layout = Optional.ofNullable(m.group(3)).map(StorageLayout::fromTag);
        boolean versioned = m.group(1) != null;
        return new Migration(versioned ? Kind.VERSIONED : Kind.REPEATABLE, versioned ? Integer.parseInt(m.group(1)) : 0,
                m.group(2), layout, fileName, sql);
    }

    /** Untagged files apply to every layout; {@code .plain} files to the partitioned ones (plain and Citus). */
    public boolean appliesTo(StorageLayout target) {
        return layout.isEmpty() || layout.get() == target
                || (layout.get() == StorageLayout.PLAIN && target.partitioned());
    }

    /**
     * The key under which a run is recorded: a versioned file's version, a repeatable file's name (its
     * layout variants share it, as only one applies to a database).
     */
    public String script() {
        return kind == Kind.VERSIONED ? String.format("V%03d", version) : "R__" + name;
    }

    /** The SQL to execute: partition clauses kept on the partitioned layouts, removed under TimescaleDB. */
    public String sqlFor(StorageLayout target) {
        Matcher m = PARTITION_PLACEHOLDER.matcher(sql);
        return m.replaceAll(target.partitioned() ? "$1" : "");
    }

    /** Checksum of the file as written: an edited versioned file is refused, an edited repeatable one re-applied. */
    public String checksum() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
