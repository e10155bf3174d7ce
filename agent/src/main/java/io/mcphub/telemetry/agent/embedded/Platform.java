package io.mcphub.telemetry.agent.embedded;

import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * This machine as the embedded-PostgreSQL launcher names it ({@code Linux}/{@code Darwin}, {@code x86_64}/
 * {@code arm_64}, the Linux distribution), so that the jar checked before the start holds the archive the
 * launcher then asks for.
 */
record Platform(String system, String architecture, String distribution, String osArch) {

    static Platform current() {
        String osName = System.getProperty("os.name", "");
        String system = osName.startsWith("Linux") ? "Linux"
                : osName.startsWith("Mac") ? "Darwin"
                : osName.startsWith("Windows") ? "Windows" : osName;
        String osArch = System.getProperty("os.arch", "");
        return new Platform(system, ArchUtils.normalize(osArch), "Linux".equals(system) ? LinuxUtils.getDistributionName() : null,
                osArch);
    }

    /** The launcher's archive names, most specific first: the distribution's build, the system's, x86-64 on ARM Macs. */
    List<String> archives() {
        List<String> names = new ArrayList<>();
        if (distribution != null) {
            names.add(name("postgres-%s-%s-%s.txz".formatted(system, architecture, distribution)));
        }
        names.add(name("postgres-%s-%s.txz".formatted(system, architecture)));
        if ("Darwin".equals(system) && "arm_64".equals(architecture)) {
            names.add(name("postgres-%s-x86_64.txz".formatted(system)));
        }
        return names;
    }

    /** The platform part of zonky's artifact names ({@code linux-amd64}, {@code darwin-arm64v8}), null when unknown. */
    String artifactSuffix() {
        String arch = switch (architecture) {
            case "x86_64" -> "amd64";
            case "arm_64" -> "arm64v8";
            case "arm_32" -> "arm32v7";
            case "x86_32" -> "i386";
            default -> null;
        };
        return arch == null ? null : system.toLowerCase(Locale.ROOT) + "-" + arch;
    }

    /** What a person recognises: {@code Linux aarch64}. */
    String description() {
        return system + " " + osArch + (distribution != null ? " (" + distribution + ")" : "");
    }

    private static String name(String s) {
        return s.replace(' ', '_').toLowerCase(Locale.ROOT);
    }
}
