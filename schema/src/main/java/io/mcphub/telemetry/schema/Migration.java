package io.mcphub.telemetry.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One versioned SQL file; {@code layout} is empty for files that apply to every layout. */
public record Migration(int version, String description, Optional<StorageLayout> layout, String fileName, String sql) {

    private static final Pattern FILE_NAME =
            Pattern.compile("V(\\d{3})__([a-z0-9_]+?)(?:\\.(plain|timescale))?\\.sql");
    private static final Pattern PARTITION_PLACEHOLDER = Pattern.compile("\\{\\{(PARTITION BY [^}]+)}}");

    public static Migration parse(String fileName, String sql) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            throw new MigrationException("migration file name '" + fileName
                    + "' does not match V<3 digits>__<name>[.plain|.timescale].sql");
        }
        Optional<StorageLayout> layout = Optional.ofNullable(m.group(3)).map(StorageLayout::fromTag);
        return new Migration(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), layout, fileName, sql);
    }

    public boolean appliesTo(StorageLayout target) {
        return layout.isEmpty() || layout.get() == target;
    }

    /** The SQL to execute: partition clauses kept on plain PostgreSQL, removed under TimescaleDB. */
    public String sqlFor(StorageLayout target) {
        Matcher m = PARTITION_PLACEHOLDER.matcher(sql);
        return m.replaceAll(target == StorageLayout.PLAIN ? "$1" : "");
    }

    /** Checksum of the file as written, so an edited, already-applied migration is noticed. */
    public String checksum() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
