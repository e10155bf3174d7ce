package io.mcphub.telemetry.metrics;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where this process's cgroup files live, for cgroup v2 (one unified tree) or v1 (one tree per controller).
 *
 * <p>The process's own cgroup comes from /proc/self/cgroup. Inside a container with a private cgroup
 * namespace that path is "/", and without one it names a host path (e.g. /docker/&lt;id&gt;) that is not
 * mounted inside the container; in both cases the mount root itself is the container's cgroup, hence the
 * "use it if that directory exists, else the root" rule.
 */
final class CgroupLayout {

    enum Version { V1, V2, NONE }

    static final CgroupLayout NONE = new CgroupLayout(Version.NONE, null, null, null, null, null);

    final Version version;
    /** cgroup v2 directory of this process. */
    final Path unified;
    /** cgroup v1 per-controller directories of this process (null when that controller is not mounted). */
    final Path memory;
    final Path cpu;
    final Path cpuacct;
    final Path pids;

    private CgroupLayout(Version version, Path unified, Path memory, Path cpu, Path cpuacct, Path pids) {
        this.version = version;
        this.unified = unified;
        this.memory = memory;
        this.cpu = cpu;
        this.cpuacct = cpuacct;
        this.pids = pids;
    }

    static CgroupLayout detect(Path procRoot, Path cgroupRoot) {
        if (cgroupRoot == null || !Files.isDirectory(cgroupRoot)) {
            return NONE; // macOS, Windows, or /sys not mounted
        }
        String selfCgroup = SmallFiles.read(procRoot.resolve("self").resolve("cgroup"));
        // cgroup.controllers exists only at the root of a v2 hierarchy; hybrid hosts expose v1 controllers at
        // the top level and v2 under "unified" (without resource controllers), so they are read as v1.
        if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) {
            return new CgroupLayout(Version.V2, ownDirectory(cgroupRoot, pathFor(selfCgroup, null)),
                    null, null, null, null);
        }
        Path memory = v1Controller(cgroupRoot, selfCgroup, "memory");
        Path cpu = v1Controller(cgroupRoot, selfCgroup, "cpu");
        Path cpuacct = v1Controller(cgroupRoot, selfCgroup, "cpuacct");
        Path pids = v1Controller(cgroupRoot, selfCgroup, "pids");
        if (memory == null && cpu == null && cpuacct == null && pids == null) {
            return NONE;
        }
        return new CgroupLayout(Version.V1, null, memory, cpu, cpuacct, pids);
    }

    private static Path v1Controller(Path cgroupRoot, String selfCgroup, String controller) {
        Path mount = cgroupRoot.resolve(controller);
        return Files.isDirectory(mount) ? ownDirectory(mount, pathFor(selfCgroup, controller)) : null;
    }

    /**
     * Path from a /proc/self/cgroup line "hierarchy-id:controllers:path". A null controller selects the v2
     * line "0::/path"; otherwise the v1 line whose comma-separated controller list contains it.
     */
    static String pathFor(String selfCgroup, String controller) {
        if (selfCgroup == null) {
            return null;
        }
        for (String line : selfCgroup.split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                continue;
            }
            boolean matches = controller == null
                    ? parts[0].equals("0") && parts[1].isEmpty()
                    : containsController(parts[1], controller);
            if (matches) {
                return parts[2].trim();
            }
        }
        return null;
    }

    private static boolean containsController(String list, String controller) {
        for (String candidate : list.split(",")) {
            if (candidate.equals(controller)) {
                return true;
            }
        }
        return false;
    }

    private static Path ownDirectory(Path mountRoot, String cgroupPath) {
        if (cgroupPath == null) {
            return mountRoot;
        }
        String relative = cgroupPath;
        while (relative.startsWith("/")) {
            relative = relative.substring(1);
        }
        if (relative.isEmpty()) {
            return mountRoot;
        }
        try {
            Path candidate = mountRoot.resolve(relative).normalize();
            // A crafted or odd path with ".." must not let us wander outside the cgroup mount.
            if (candidate.startsWith(mountRoot.normalize()) && Files.isDirectory(candidate)) {
                return candidate;
            }
        } catch (RuntimeException invalidPath) {
            // fall through to the mount root
        }
        return mountRoot;
    }
}
