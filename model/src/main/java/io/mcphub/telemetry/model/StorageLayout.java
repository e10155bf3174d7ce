package io.mcphub.telemetry.model;

/** How telemetry is stored. Chosen once per database, at its first migration. */
public enum StorageLayout implements SqlNamed {
    /** Native daily range partitions, rollup tables the sink adds to, retention by dropping partitions. */
    PLAIN("plain"),
    /** Hypertables, continuous aggregates, columnstore and retention policies. */
    TIMESCALE("timescale"),
    /** The plain layout distributed by tenant over a Citus cluster. */
    CITUS("citus");

    private final String sqlName;

    StorageLayout(String sqlName) {
        this.sqlName = sqlName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }

    /** True for the layouts of native partitions (their migrations are the {@code .plain.sql} files). */
    public boolean partitioned() {
        return this != TIMESCALE;
    }

    public static StorageLayout fromTag(String tag) {
        return SqlNamed.parse(StorageLayout.class, tag);
    }
}
