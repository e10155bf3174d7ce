package io.mcphub.telemetry.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tool digests added up per key (a bucket and side, say): each key's tools merged entry by entry,
 * then written back as one digest per key. What compaction and the upgrades that fill digests write.
 *
 * @param <K> what a merged row is keyed by
 */
public final class DigestMerge<K> {
    private final Map<K, Map<String, ToolTotals>> keys = new LinkedHashMap<>();
    private final ToolDigest.Reader reader = new ToolDigest.Reader();

    /** Adds every entry of {@code digest} to {@code key}'s tools. */
    public void add(K key, byte[] digest) {
        Map<String, ToolTotals> tools = tools(key);
        reader.reset(digest);
        while (reader.next()) {
            String server = reader.server();
            String tool = reader.tool();
            tools.computeIfAbsent(ToolTotals.key(server, tool), k -> new ToolTotals(server, tool)).add(reader);
        }
    }

    /** {@code key}'s tools so far, by {@link ToolTotals#key}: for figures that do not come as digests. */
    public Map<String, ToolTotals> tools(K key) {
        return keys.computeIfAbsent(key, k -> new LinkedHashMap<>());
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    /** Each key's merge as one digest, in the order the keys were first added; the merge is emptied. */
    public Map<K, byte[]> drain() {
        Map<K, byte[]> out = new LinkedHashMap<>(keys.size() * 2);
        ToolDigest.Writer writer = new ToolDigest.Writer();
        keys.forEach((key, tools) -> {
            writer.reset();
            tools.values().forEach(writer::add);
            out.put(key, writer.toByteArray());
        });
        keys.clear();
        return out;
    }
}
