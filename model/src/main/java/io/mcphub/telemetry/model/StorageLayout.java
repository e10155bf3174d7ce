package io.mcphub.telemetry.model;

/** How time-series tables are stored. Chosen once per database, at its first migration. */
public enum StorageLayout implements SqlNamed {
    /** Native range partitions, rollup tables refreshed by the sink, retention by dropping partitions. */
    PLAIN("plain"),
    /** Hypertables, continuous aggregates, compression and retention policies. */
    TIMESCALE("timescale");

    private final String sqlName;

    StorageLayout(String sqlName) {
        this.sqlName = sqlName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }

    public static StorageLayout fromTag(String tag) {
        return SqlNamed.parse(StorageLayout.class, tag);
    }
}
