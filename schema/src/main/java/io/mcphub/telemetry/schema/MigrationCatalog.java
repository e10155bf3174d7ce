package io.mcphub.telemetry.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the migrations named in {@code db/migration/migrations.txt}: versioned files in order, then
 * repeatable ones. An explicit list, rather than a directory scan, works the same from a directory, a
 * jar and a shaded agent jar.
 */
public final class MigrationCatalog {

    static final String BASE = "db/migration/";

    private MigrationCatalog() {
    }

    public static List<Migration> load() {
        List<Migration> migrations = new ArrayList<>();
        int lastVersion = 0;
        boolean repeatables = false;
        for (String fileName : readLines(BASE + "migrations.txt")) {
            Migration migration = Migration.parse(fileName, String.join("\n", readLines(BASE + fileName)));
            if (migration.kind() == Migration.Kind.REPEATABLE) {
                repeatables = true;
            } else if (repeatables || migration.version() < lastVersion) {
                throw new MigrationException("migrations.txt lists " + fileName + " after "
                        + (repeatables ? "a repeatable migration" : "version " + lastVersion)
                        + ": versioned files come first, in order");
            } else {
                lastVersion = migration.version();
            }
            migrations.add(migration);
        }
        return List.copyOf(migrations);
    }

    private static List<String> readLines(String resource) {
        try (InputStream in = MigrationCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new MigrationException("migration resource " + resource + " is missing from the classpath");
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (resource.endsWith(".txt")) {
                        line = line.strip();
                        if (line.isEmpty() || line.startsWith("#")) {
                            continue;
                        }
                    }
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new MigrationException("cannot read migration resource " + resource, e);
        }
    }
}
