package io.mcphub.telemetry.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code key=value} arguments and the machine readings every benchmark prints beside its numbers. */
public final class BenchArgs {

    private BenchArgs() {
    }

    public static String arg(String[] args, String key, String fallback) {
        for (String a : args) {
            if (a.startsWith(key + "=")) {
                return a.substring(key.length() + 1);
            }
        }
        return fallback;
    }

    /** An environment variable, or the fallback when unset or blank. */
    public static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** The 1-minute load average: a run on a busy machine says so. */
    public static String loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg")).trim();
            return s.substring(0, s.indexOf(' '));
        } catch (Exception e) {
            return "?";
        }
    }

    /** User+system CPU ticks (USER_HZ, 100 a second) a process has used. */
    public static long procTicks(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }
}
