package io.mcphub.telemetry.schema;

/** How time-series tables are stored. Chosen once per database, at its first migration. */
public enum StorageLayout {
    /** Native range partitions, rollup tables refreshed by the sink, retention by dropping partitions. */
    PLAIN("plain"),
    /** Hypertables, continuous aggregates, compression and retention policies. */
    TIMESCALE("timescale");

    private final String fileTag;

    StorageLayout(String fileTag) {
        this.fileTag = fileTag;
    }

    public String fileTag() {
        return fileTag;
    }

    public static StorageLayout fromTag(String tag) {
        for (StorageLayout layout : values()) {
            if (layout.fileTag.equals(tag)) {
                return layout;
            }
        }
        throw new IllegalArgumentException("unknown storage layout '" + tag + "'");
    }
}
