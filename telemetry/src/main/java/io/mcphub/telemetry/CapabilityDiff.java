package io.mcphub.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What changed in a server's full tool (resource, prompt) list since the list before it. */
final class CapabilityDiff {

    /** Names new since the previous list, and names no longer listed (none for the first list). */
    record Change(List<String> added, List<String> removed, int count) {
        boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty();
        }
    }

    private final Map<String, Set<String>> known = new ConcurrentHashMap<>();

    Change update(String kind, String server, List<String> names) {
        Set<String> current = new LinkedHashSet<>(names);
        Set<String> previous = known.put(kind + '\u0000' + server, current);
        List<String> added = new ArrayList<>(current);
        List<String> removed = new ArrayList<>();
        if (previous != null) {
            added.removeAll(previous);
            for (String name : previous) {
                if (!current.contains(name)) {
                    removed.add(name);
                }
            }
        }
        return new Change(added, removed, current.size());
    }
}
